"""CLI entry point: ``python inventory.py COMMAND`` (same as the ``stock-saas`` script).

Run with any Python: when the project's ``.venv`` exists (``make run`` / ``make test``
create it) and this is not its interpreter, the command re-runs itself there, so
``python inventory.py …`` works without activating the venv.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
    python = str(VENV / "bin" / "python")
    os.execv(python, [python, str(Path(__file__).resolve()), *sys.argv[1:]])  # noqa: S606

sys.path.insert(0, str(HERE))

from stock_saas.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
