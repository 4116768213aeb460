"""The whole ``verify`` command, side by side with its parts and with distilabel's checker.

The same ``ROWS`` xlam rows of 1–2 cheap calls (``tests/support/cheap_tools``: ``subtract``,
and ``join`` on every other row) are checked by, in one run:

- in-process format check: ``check_format`` on the rows' candidates, decoded beforehand (what
  ``bench_format`` measures, on these rows), under the collector's settings ``verify`` uses;
- ``apigen-stream verify --stages format`` and ``--stages format,execute`` as a user runs them
  (a subprocess, wall time; start-up included, and also net of it: a one-row run's time is
  subtracted);
- distilabel's ``APIGenExecutionChecker.process`` called directly on the rows' ``answers``
  (in-process, unsandboxed, import not counted), in the bench's own virtualenv
  ``bench/.venv-peer`` (created here on first use: distilabel is no dependency of ours);
- memory: ``verify --stages format`` on a ``BIG_FILE_MB`` file of such rows, its peak RSS.

Each contender runs ``ROUNDS`` times (``BENCH_ROUNDS``), interleaved; rates are shown as
best/median, the target ratios paired per round as min/median. Every rate is given by wall
time (what a user waits) and by CPU time (user + system, of the command and its sandbox
workers; ``time.process_time`` for the in-process ones): on a shared
machine the CPU figure is the steadier one, and the one ``bench_format`` reports.

Start-up is measured as an installed package has it: with its bytecode cached (the runs write
it under the work directory, a warm-up run first), whatever ``PYTHONDONTWRITEBYTECODE`` says
here. The load average is printed before and after: the ratios are paired per round, but a
loaded machine still widens them.

Where the time of ``--stages format,execute`` goes is printed per row, in process, by part:
reading the file (``Dataset``), the format check, and the execute stage's batch handler over
batches as ``verify`` makes them, split into looking tools up and validating their arguments
again (``prepare``), the sandbox round trip (encoding the calls, the workers, decoding the
outcomes: the handler's time less the other parts), and judging each row (``decide``); the
sandbox workers' own CPU is shown beside it, their start included.

Targets (issue "user-facing speed"): format ≥ 0.5 of the in-process check rate; format+execute
≥ 10× distilabel's direct checker.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import anyio
import msgspec

from apigen_stream.collector import collecting_rarely
from apigen_stream.config import Config, load_config
from apigen_stream.datasets import Dataset, Row
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Registry, apis_in_module
from apigen_stream.records import Candidate, Executed
from apigen_stream.stages import open_in_process
from apigen_stream.stages.execute import ArgumentChecker, decide, prepare
from apigen_stream.stages.format import check_format
from apigen_stream.stages.stage import Accept, DictState
from apigen_stream.verify import BATCH_ROWS

REPO = Path(__file__).resolve().parents[1]
ROWS = 20_000
# Rounds of every contender side by side: the machine is shared, one round proves little.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
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
started, cpu = time.perf_counter(), time.process_time()
out = next(checker.process(inputs))
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
kept = sum(1 for row in out if row["keep_row_after_execution_check"])
print(json.dumps({"rows": len(out), "kept": kept, "seconds": seconds, "cpu": cpu}))
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


class Run(NamedTuple):
    """One timed run: wall and CPU seconds, peak RSS in KiB."""

    wall: float
    cpu: float
    peak_kib: int = 0


def in_process(path: Path) -> Run:
    """``check_format`` alone on the file's candidates, under the collector's settings that
    ``verify`` runs with: whether a full collection lands in the timed loop otherwise depends
    on what this process did before (its rate moved from 110k to 180k rows per CPU-second)."""
    candidates = [r.candidate for r in Dataset(path) if isinstance(r, Row)]
    with collecting_rarely():
        started, cpu = time.perf_counter(), time.process_time()
        for candidate in candidates:
            check_format(candidate)
        return Run(time.perf_counter() - started, time.process_time() - cpu)


def run_verify(path: Path, stages: str, work: Path) -> tuple[Run, str]:
    """One ``verify`` run, and its summary table."""
    config = work / "bench.toml"
    config.write_text(CONFIG)
    out = work / f"out-{stages.replace(',', '-')}-{path.stem}"
    measure = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "d = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss); "
               "sys.stderr.write(d.stdout + d.stderr)")  # fmt: skip
    command = [sys.executable, "-c", measure, sys.executable, "-m", "apigen_stream.cli",
               "verify", str(path), "--stages", stages, "--out", str(out), "--config",
               str(config)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=_env(work),
                          check=True)  # fmt: skip
    wall, cpu, peak = done.stdout.split()
    return Run(float(wall), float(cpu), int(peak)), done.stderr


def _env(work: Path) -> dict[str, str]:
    # Bytecode cached, as an installed package has it, in the work directory (not the tree).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": str(work / "pycache")}


def parts(path: Path, work: Path) -> dict[str, float]:
    """CPU seconds of each part of ``--stages format,execute`` on the file's rows, in process
    (see the module docstring); ``sandbox workers`` is their CPU, start included."""
    config_path = work / "bench.toml"
    config_path.write_text(CONFIG)
    config = load_config(config_path)
    with collecting_rarely():  # as the command runs
        return _timed_parts(path, config)


def _timed_parts(path: Path, config: Config) -> dict[str, float]:
    cpu = time.process_time
    out: dict[str, float] = {}
    started = cpu()
    for _ in Dataset(path):  # streamed, as verify reads: each row dies with its batch
        pass
    out["read"] = cpu() - started
    candidates = [r.candidate for r in Dataset(path) if isinstance(r, Row)]
    started = cpu()
    for candidate in candidates:
        check_format(candidate, keyed=False)
    out["format check"] = cpu() - started
    registry = load_registry(config.library, {})
    checker = ArgumentChecker()
    started = cpu()
    for candidate in candidates:
        for call in candidate.calls:
            prepare(call, registry, checker)
    out["execute: prepare (lookup, validation)"] = cpu() - started
    workers_before = _children_cpu()  # the pool's workers are reaped when it closes
    handler, executed = anyio.run(_execute_batches, config, candidates)
    workers = _children_cpu() - workers_before
    started = cpu()
    for record in executed:
        decide(record.candidate, record.outcomes, 0.0)
    out["execute: decide"] = cpu() - started
    sandbox = handler - out["execute: prepare (lookup, validation)"] - out["execute: decide"]
    out["execute: sandbox round trip, this process"] = sandbox
    out["execute: handler, whole"] = handler
    out["sandbox workers (their own processes)"] = workers
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _execute_batches(
    config: Config, candidates: list[Candidate]
) -> tuple[float, list[Executed]]:
    """The execute stage's batch handler over ``candidates`` in ``verify``'s batches: its CPU
    in this process, and what it passed on."""
    executed: list[Executed] = []
    seconds = 0.0
    async with open_in_process(config, ["execute"]) as (stage,):
        state = DictState({})
        for start in range(0, len(candidates), BATCH_ROWS):
            batch = candidates[start : start + BATCH_ROWS]
            began = time.process_time()
            verdicts = await stage.handle_many(batch, state)
            seconds += time.process_time() - began
            assert verdicts is not None
            for (verdict,) in verdicts:
                assert isinstance(verdict, Accept) and isinstance(verdict.record, Executed)
                executed.append(verdict.record)
    return seconds, executed


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


def distilabel(path: Path, work: Path) -> tuple[Run | None, str]:
    """distilabel's checker on the rows, or None and why not."""
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
    assert result["rows"] == ROWS, result
    return Run(result["seconds"], result["cpu"]), f"kept {result['kept']} of {result['rows']}"


def _line(name: str, runs: list[Run], note: str = "") -> None:
    walls = sorted(ROWS / r.wall for r in runs)
    cpus = sorted(ROWS / r.cpu for r in runs)
    print(f"  {name:<44} wall {_spread(walls, ',.0f')}  CPU {_spread(cpus, ',.0f')} rows/s  {note}",
          flush=True)  # fmt: skip


def _spread(values: list[float], spec: str) -> str:
    """``max/median`` of rates, ``min/median`` of ratios: the best and the typical round."""
    return f"{format(max(values), spec)}/{format(statistics.median(values), spec)}"


def _ratios(name: str, ours: list[Run], theirs: list[Run], target: float) -> None:
    # Paired: each round's ratio is of two runs made side by side.
    wall = [t.wall / o.wall for o, t in zip(ours, theirs, strict=True)]
    cpu = [t.cpu / o.cpu for o, t in zip(ours, theirs, strict=True)]
    middle = statistics.median
    print(f"  {name}: wall min {min(wall):.3f} median {middle(wall):.3f}, "
          f"CPU min {min(cpu):.3f} median {middle(cpu):.3f} (target {target:g})")  # fmt: skip


def _round(rows: Path, one: Path, work: Path, split: list[dict[str, float]]) -> dict[str, Run]:
    """One round, every contender side by side: the in-process check, both verify runs (and
    their one-row runs, for start-up), distilabel; and the parts of format,execute into
    ``split``."""
    runs = {"check": in_process(rows)}
    split.append(parts(rows, work))
    for stages in ("format", "format,execute"):
        run, table = run_verify(rows, stages, work)
        assert f"{'accepted':<33} {ROWS:>8}" in table, table
        start, _ = run_verify(one, stages, work)
        runs[stages] = run
        runs[f"{stages} net"] = Run(
            max(run.wall - start.wall, 1e-9), max(run.cpu - start.cpu, 1e-9)
        )
    peer, _ = distilabel(rows, work)
    if peer is not None:
        runs["distilabel"] = peer
    return runs


def main() -> None:
    """Print every rate over ``ROUNDS`` rounds and the two target ratios, wall and CPU."""
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        work = Path(tmp)
        rows, one = work / "rows.jsonl", work / "one.jsonl"
        write_rows(rows, ROWS)
        write_rows(one, 1)
        _, why = peer_python()
        for stages in ("format", "format,execute"):  # warm-up: bytecode cached, files read
            run_verify(one, stages, work)
        load = os.getloadavg()
        split: list[dict[str, float]] = []
        rounds = [_round(rows, one, work, split) for _ in range(ROUNDS)]
        by = {name: [r[name] for r in rounds] for name in rounds[0]}
        print(f"  {ROUNDS} rounds; rates as best/median, ratios as min/median; load average "
              f"{_load(load)} before, {_load(os.getloadavg())} after (2 cores)")  # fmt: skip
        _line("in-process check_format", by["check"])
        for stages in ("format", "format,execute"):
            _line(f"verify --stages {stages}", by[stages])
            _line("  the same, net of start-up", by[f"{stages} net"])
        _ratios("verify format / in-process check", by["format"], by["check"], 0.5)
        _ratios("  net of start-up", by["format net"], by["check"], 0.5)
        if "distilabel" in by:
            _line("distilabel APIGenExecutionChecker.process", by["distilabel"])
            _ratios(
                "verify format,execute / distilabel", by["format,execute"], by["distilabel"], 10
            )
            _ratios("  net of start-up", by["format,execute net"], by["distilabel"], 10)
        else:
            print(f"  distilabel: not measured: {why}")
        _print_parts(split, by)
        big = work / "big.jsonl"
        write_rows(big, BIG_FILE_MB * 2**20 * ROWS // rows.stat().st_size)
        run, _ = run_verify(big, "format", work)
        size = big.stat().st_size / 2**20
        print(f"  verify --stages format on {size:.0f} MB: peak RSS {run.peak_kib / 1024:.0f} MB "
              f"(target < 400), {run.wall:.1f} s wall")  # fmt: skip
        print(f"  (peak RSS of this process: {_own_peak_mb():.0f} MB)")


def _load(load: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.1f}" for x in load)


def _print_parts(split: list[dict[str, float]], by: dict[str, list[Run]]) -> None:
    """CPU microseconds per row of each part (min/median over rounds), and start-up's share."""
    print("  verify --stages format,execute, CPU per row by part (min/median, in process):")
    for name in split[0]:
        per_row = sorted(1e6 * s[name] / ROWS for s in split)
        print(f"    {name:<44} {per_row[0]:6.1f} / {statistics.median(per_row):6.1f} us")
    for stages in ("format", "format,execute"):
        whole = [r.cpu for r in by[stages]]
        net = [r.cpu for r in by[f"{stages} net"]]
        start = sorted(w - n for w, n in zip(whole, net, strict=True))
        print(f"    start-up of --stages {stages:<23} {1e3 * start[0]:6.0f} / "
              f"{1e3 * statistics.median(start):6.0f} ms CPU (a one-row run)")  # fmt: skip


def _own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
