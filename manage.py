#!/usr/bin/env python
"""Development entry point: like the ``samverkan`` command, but with DEBUG=1 unless set.

Production uses the installed ``samverkan`` command, which refuses to start without a
SECRET_KEY when DEBUG is not set.
"""

import os

from samverkan.cli import main

if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "1")
    main()
