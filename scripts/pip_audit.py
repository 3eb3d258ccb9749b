"""pip-audit on requirements/base.lock, failing clearly when it cannot audit.

    .venv/bin/python scripts/pip_audit.py [--if-reachable]

pip-audit asks PyPI's JSON API (https://pypi.org/pypi/<name>/<version>/json) for known
vulnerabilities of every pinned package. Where that API cannot be reached (no network, or a
mirror that serves only the package index) pip-audit would report "no known vulnerabilities"
having audited nothing; this script checks first and fails with a clear message instead (exit
2), or, with ``--if-reachable`` (CI on a machine without that access), says so loudly and exits
0. Otherwise it runs pip-audit with ``--strict`` (a package it cannot audit is a failure).
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "https://pypi.org/pypi/django/5.2/json"


def reachable() -> str:
    """'' when the vulnerability data can be read, else why not."""
    try:
        with urllib.request.urlopen(PROBE, timeout=15) as response:  # noqa: S310 (https, fixed)
            if response.status == 200 and b'"vulnerabilities"' in response.read():
                return ""
            return f"{PROBE} answered {response.status} without vulnerability data"
    except urllib.error.HTTPError as exc:
        return f"{PROBE} answered HTTP {exc.code}"
    except OSError as exc:
        return f"{PROBE} is unreachable: {exc}"


def main() -> int:
    why = reachable()
    if why:
        message = (
            f"pip-audit: cannot audit requirements/base.lock: {why}. "
            "The vulnerability data comes from PyPI's JSON API; run `make security` where "
            "https://pypi.org is reachable."
        )
        if "--if-reachable" in sys.argv:
            print(f"SKIPPED {message}", flush=True)
            return 0
        print(f"FAILED {message}", file=sys.stderr, flush=True)
        return 2
    return subprocess.call(
        [
            str(ROOT / ".venv" / "bin" / "pip-audit"),
            "--requirement",
            str(ROOT / "requirements" / "base.lock"),
            "--no-deps",  # the lock pins every package already
            "--disable-pip",
            "--strict",
            "--progress-spinner",
            "off",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
