"""The whole ``verify`` command, side by side with its parts and with distilabel's checker.

The same ``ROWS`` xlam rows of 1–2 cheap calls (``tests/support/cheap_tools``: ``subtract``,
and ``join`` on every other row) are checked by, in one run:

- in-process format check: ``check_format`` on the rows' candidates, decoded beforehand (what
  ``bench_format`` measures, on these rows);
- ``apigen-stream verify --stages format`` and ``--stages format,execute`` as a user runs them
  (a subprocess, wall time; start-up included, and also net of it: a one-row run's time is
  subtracted);
- distilabel's ``APIGenExecutionChecker.process`` called directly on the rows' ``answers``
  (in-process, unsandboxed, import not counted), in the bench's own virtualenv
  ``bench/.venv-peer`` (created here on first use: distilabel is no dependency of ours);
- memory: ``verify --stages format`` on a ``BIG_FILE_MB`` file of such rows, its peak RSS.

Targets (issue "user-facing speed"): format ≥ 0.5 of the in-process check rate; format+execute
≥ 10× distilabel's direct checker.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

from apigen_stream.datasets import Dataset, Row
from apigen_stream.library.registry import Registry, apis_in_module
from apigen_stream.stages.format import check_format

REPO = Path(__file__).resolve().parents[1]
ROWS = 20_000
BIG_FILE_MB = 200
PEER = REPO / "bench" / ".venv-peer"
# distilabel 1.5 imports requests without declaring it.
PEER_PACKAGES = ["distilabel==1.5.3", "requests"]
TOOLS_MODULE = "tests.support.cheap_tools"
CONFIG = f"""
[library]
builtin = false
python_modules = ["{TOOLS_MODULE}"]

[sandbox]
workers = 2
preload = []
"""
# The same functions for distilabel, which loads tools from a plain module file.
PEER_TOOLS = """
def subtract(a, b):
    return a - b


def join(left, right, sep=" "):
    return f"{left}{sep}{right}"
"""
PEER_SCRIPT = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
from distilabel.steps.tasks import APIGenExecutionChecker
rows = [json.loads(line) for line in open(sys.argv[2])]
inputs = [{"answers": row["answers"]} for row in rows]
checker = APIGenExecutionChecker(libpath=sys.argv[1])
checker.load()
started = time.perf_counter()
out = next(checker.process(inputs))
seconds = time.perf_counter() - started
kept = sum(1 for row in out if row["keep_row_after_execution_check"])
print(json.dumps({"rows": len(out), "kept": kept, "seconds": seconds}))
"""


def write_rows(path: Path, n: int) -> None:
    """``n`` xlam rows: ``subtract``, and ``join`` too on every other row."""
    registry = Registry(apis_in_module(importlib.import_module(TOOLS_MODULE)))
    tool = {name: msgspec.to_builtins(registry.get(name).tool()) for name in ("subtract", "join")}
    one = json.dumps([tool["subtract"]])
    two = json.dumps([tool["subtract"], tool["join"]])
    with path.open("w") as fh:
        for i in range(n):
            calls = [{"name": "subtract", "arguments": {"a": i, "b": 3}}]
            if i % 2:
                calls.append({"name": "join", "arguments": {"left": "row", "right": str(i)}})
            row = {"id": i, "query": f"Subtract 3 from {i}.", "answers": json.dumps(calls),
                   "tools": two if i % 2 else one}  # fmt: skip
            fh.write(json.dumps(row) + "\n")


def in_process_rate(path: Path) -> float:
    """Rows/s of ``check_format`` alone on the file's candidates."""
    candidates = [r.candidate for r in Dataset(path) if isinstance(r, Row)]
    started = time.perf_counter()
    for candidate in candidates:
        check_format(candidate)
    return len(candidates) / (time.perf_counter() - started)


def run_verify(path: Path, stages: str, work: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and the summary table of one ``verify`` run."""
    config = work / "bench.toml"
    config.write_text(CONFIG)
    out = work / f"out-{stages.replace(',', '-')}-{path.stem}"
    measure = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "d = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(time.perf_counter() - t, "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.stderr.write(d.stdout + d.stderr)")  # fmt: skip
    command = [sys.executable, "-c", measure, sys.executable, "-m", "apigen_stream.cli",
               "verify", str(path), "--stages", stages, "--out", str(out), "--config",
               str(config)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env, check=True)
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak), done.stderr


def peer_python() -> tuple[Path | None, str]:
    """The peer virtualenv's python, created on first use; or None and why not."""
    python = PEER / "bin" / "python"
    if python.exists():
        return python, ""
    steps = [[sys.executable, "-m", "venv", str(PEER)],
             [str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES]]  # fmt: skip
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
            return None, f"{' '.join(step[:4])} failed: {tail}"
    return python, ""


def distilabel_rate(path: Path, work: Path) -> tuple[float | None, str]:
    """Rows/s of distilabel's checker on the rows, or None and why not."""
    python, why = peer_python()
    if python is None:
        return None, why
    tools = work / "peer_tools.py"
    tools.write_text(PEER_TOOLS)
    done = subprocess.run([str(python), "-c", PEER_SCRIPT, str(tools), str(path)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:][0] if done.stderr else "failed"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    note = f"kept {result['kept']} of {result['rows']}"
    return result["rows"] / result["seconds"], note


def _line(name: str, rate: float, note: str = "") -> None:
    print(f"  {name:<44} {rate:>10,.0f} rows/s  {note}", flush=True)


def main() -> None:
    """Print every rate and the two target ratios."""
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        work = Path(tmp)
        rows, one = work / "rows.jsonl", work / "one.jsonl"
        write_rows(rows, ROWS)
        write_rows(one, 1)
        check = in_process_rate(rows)
        _line("in-process check_format", check)
        rates: dict[str, float] = {}
        for stages in ("format", "format,execute"):
            seconds, _, table = run_verify(rows, stages, work)
            startup, _, _ = run_verify(one, stages, work)
            rates[stages] = ROWS / seconds
            _line(f"verify --stages {stages}", ROWS / seconds, f"({seconds:.2f} s wall)")
            net = ROWS / max(seconds - startup, 1e-9)
            _line(f"verify --stages {stages}, net of start-up", net, f"({startup:.2f} s)")
            assert f"{'accepted':<33} {ROWS:>8}" in table, table
        peer, note = distilabel_rate(rows, work)
        if peer is None:
            print(f"  distilabel: not measured: {note}")
        else:
            _line("distilabel APIGenExecutionChecker.process", peer, note)
        print(f"  verify format / in-process check: {rates['format'] / check:.3f} (target 0.5)")
        if peer is not None:
            ratio = rates["format,execute"] / peer
            print(f"  verify format,execute / distilabel: {ratio:.2f} (target 10)")
        big = work / "big.jsonl"
        write_rows(big, BIG_FILE_MB * 2**20 * ROWS // rows.stat().st_size)
        seconds, peak, _ = run_verify(big, "format", work)
        size = big.stat().st_size / 2**20
        print(f"  verify --stages format on {size:.0f} MB: peak RSS {peak / 1024:.0f} MB "
              f"(target < 400), {seconds:.1f} s")  # fmt: skip
        print(f"  (peak RSS of this process: {_own_peak_mb():.0f} MB)")


def _own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
