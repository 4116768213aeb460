"""Draw the review sample: ``python -m bench.review_sample OUT_DIR --rows 110 --seed 1 > FILE``.

Reads the xlam rows that ``apigen-stream run --out OUT_DIR`` wrote, draws ``--rows`` of them at
random (seeded, so the draw can be repeated), runs each call again in-process to show its result,
and prints one JSON object per row: id, query, offered tools, calls and results. The reviewer adds
a verdict to each (see ``docs/review/PROTOCOL.md``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from apigen_stream.library.registry import Registry, builtin_apis

RESULT_CHARS = 600


def _result(registry: Registry, name: str, arguments: dict[str, Any]) -> str:
    module, _, function = registry.get(name).target.partition(":")
    try:
        value = getattr(importlib.import_module(module), function)(**arguments)
    except Exception as exc:  # the review shows a failure as text, it does not stop
        return f"error: {type(exc).__name__}: {exc}"
    return json.dumps(value, ensure_ascii=False)[:RESULT_CHARS]


def rows_of(out_dir: Path) -> list[dict[str, Any]]:
    """Every row of the run's part files, in file order."""
    rows: list[dict[str, Any]] = []
    for part in sorted(out_dir.glob("part-*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text().splitlines() if line.strip())
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.review_sample")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rows", type=int, default=110)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    registry = Registry(builtin_apis())
    rows = rows_of(args.out_dir)
    drawn = random.Random(args.seed).sample(rows, min(args.rows, len(rows)))
    for row in drawn:
        calls = json.loads(row["answers"])
        print(
            json.dumps(
                {
                    "id": row["id"],
                    "query": row["query"],
                    "tools": [t["name"] for t in json.loads(row["tools"])],
                    "calls": calls,
                    "results": [_result(registry, c["name"], c["arguments"]) for c in calls],
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
