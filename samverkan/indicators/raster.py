"""PNG copies of the server-drawn SVG charts.

Rasterised with resvg (the ``resvg-py`` wheel from PyPI: a compiled renderer with no system
libraries). Text uses the machine's fonts: DejaVu Sans, which Debian's fontconfig (pulled in by
``make pdf-deps``) brings, or resvg's fallback font when it is missing.
"""

from __future__ import annotations

import resvg_py

SANS_SERIF = "DejaVu Sans"


def svg_to_png(svg: str, *, zoom: float = 2.0) -> bytes:
    """The chart as a PNG on a white background, ``zoom`` times its SVG size (sharp when
    pasted into documents)."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg, background="#ffffff", zoom=zoom, sans_serif_family=SANS_SERIF
        )
    )
