"""``verify`` streams: a 200 MB file is checked in well under 400 MB of resident memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.hostile_corpus import xlam_line

FILE_BYTES = 200 * 1024 * 1024
RSS_LIMIT_MB = 400
# Rows of about 20 KB (a long query): the file is large, the row count (and run time) small.
QUERY_CHARS = 20_000

# Runs verify as a child and prints its peak resident memory in KiB (Linux's ru_maxrss unit).
_MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _write_rows(path: Path) -> int:
    template = json.loads(xlam_line(0, '{"x": 1}'))
    template["query"] = "probe " * (QUERY_CHARS // 6)
    line = json.dumps(template).replace('"id": 0', '"id": %d') + "\n"
    rows = FILE_BYTES // len(line) + 1
    with path.open("w") as fh:
        for start in range(0, rows, 100):
            fh.write("".join(line % i for i in range(start, min(start + 100, rows))))
    return rows


def test_a_200_mb_file_is_verified_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    rows = _write_rows(path)
    out = tmp_path / "out"
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "apigen_stream.cli",
               "verify", str(path), "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    code, peak_kib = (int(x) for x in done.stdout.split())
    assert code == 0, done.stderr
    with (out / "accepted.jsonl").open("rb") as fh:
        assert sum(1 for _ in fh) == rows
    assert peak_kib / 1024 < RSS_LIMIT_MB, f"peak RSS {peak_kib / 1024:.0f} MB"
    print(f"verify of {path.stat().st_size / 2**20:.0f} MB, {rows} rows: {peak_kib / 1024:.0f} MB")
