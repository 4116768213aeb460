"""Run every benchmark in ``bench/``: ``python -m bench [NAME ...]``.

Each ``bench_<name>.py`` has a ``main()`` that measures our code and its baseline in the same
process, one after the other, and prints both rates and their ratio: machines are shared and
noisy, so only ratios from one run are comparable.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run the named benchmarks, or all of them."""
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [f"bench_{n.removeprefix('bench_')}" for n in argv] or names
    for name in wanted:
        if name not in names:
            print(f"unknown benchmark {name}; have: {', '.join(names)}", file=sys.stderr)
            return 2
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
