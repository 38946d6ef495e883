"""Entry point of Benchmarks/eval (run by it inside Benchmarks/.venv)."""
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quarry_eval.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
