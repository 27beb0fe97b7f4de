"""``python -m conv_docs``: the same as the ``conv-docs`` command."""

import sys

from conv_docs.cli import main

if __name__ == "__main__":
    sys.exit(main())
