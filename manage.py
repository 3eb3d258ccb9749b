#!/usr/bin/env python
from samverkan.cli import main

if __name__ == "__main__":
    main()
