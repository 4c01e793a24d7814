"""CLI entry point: ``python inventory.py COMMAND`` (same as the ``stock-saas`` script)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stock_saas.cli import main

if __name__ == "__main__":
    sys.exit(main())
