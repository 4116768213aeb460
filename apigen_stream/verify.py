"""``verify``: the pipeline's checks over an existing dataset, row by row.

Each row becomes a candidate (``datasets``) and goes through the chosen stages in pipeline
order, through the same handlers the pipeline runs: a row is accepted when every chosen stage
passes it, else rejected by the first stage that fails it, with that stage's reason and detail.
Accepted rows are written unchanged to ``accepted.jsonl``; rejected ones to ``rejected.jsonl`` as
``{"id", "stage", "reason", "detail", "row"}``. Both keep the input's ids and order.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import anyio

from apigen_stream.config import Config
from apigen_stream.datasets import Row
from apigen_stream.errors import ConfigError, HandlerBug
from apigen_stream.records import Candidate, Executed
from apigen_stream.stages import open_in_process
from apigen_stream.stages.stage import Accept, DictState, Reject, Stage

# The stages verify can run, in pipeline order (generate makes data, it does not check it).
VERIFY_STAGES = ("format", "dedup", "execute", "semantic")
# What each stage reads: a stage can only follow the one that makes its input.
_NEEDS = {"semantic": "execute"}
# Rows checked at once: execution and the judge are I/O-bound.
CONCURRENCY = 32
# Below this many rows a progress bar would only flicker.
PROGRESS_MIN_ROWS = 200


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verify decided about one row: passed, or the stage, reason and detail that failed it."""

    row: Row
    stage: str = ""
    reason: str = ""
    detail: str = ""

    @property
    def passed(self) -> bool:
        """Whether every chosen stage passed the row."""
        return not self.stage


def parse_stages(text: str) -> list[str]:
    """``format,execute`` as stage names in pipeline order; unknown or unmet names fail."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in VERIFY_STAGES]
    if unknown or not names:
        raise ConfigError(f"--stages: choose from {', '.join(VERIFY_STAGES)} (got {text!r})")
    for name in names:
        needed = _NEEDS.get(name)
        if needed and needed not in names:
            raise ConfigError(f"--stages: {name} judges executed calls; add {needed}")
    return [n for n in VERIFY_STAGES if n in names]


async def check_row(row: Row, stages: Sequence[Stage[Any]], states: list[DictState]) -> Verdict:
    """Run one row through ``stages``; the first rejection decides."""
    record: Any = row.candidate
    for stage, state in zip(stages, states, strict=True):
        verdicts = await stage.handle(record, state)
        reject = next((v for v in verdicts if isinstance(v, Reject)), None)
        if reject is not None:
            return Verdict(row, stage.name, reject.reason, reject.detail)
        accepted = next((v for v in verdicts if isinstance(v, Accept)), None)
        if accepted is None:
            raise HandlerBug(f"stage {stage.name} returned no verdict for row {row.id}")
        record = accepted.record
        if not isinstance(record, Candidate | Executed) and stage is not stages[-1]:
            raise HandlerBug(f"stage {stage.name} passed on a {type(record).__name__}")
    return Verdict(row)


async def check_rows(
    rows: Sequence[Row], stages: Sequence[Stage[Any]], tick: Callable[[], None] = lambda: None
) -> list[Verdict]:
    """Every row's verdict, in input order. Dedup sees rows in input order, so the first copy
    of a repeated row is the one kept."""
    states = [DictState({}) for _ in stages]
    results: list[Verdict | None] = [None] * len(rows)
    limiter = anyio.CapacityLimiter(1 if any(s.name == "dedup" for s in stages) else CONCURRENCY)

    async def one(i: int) -> None:
        async with limiter:
            results[i] = await check_row(rows[i], stages, states)
            tick()

    async with anyio.create_task_group() as tg:
        for i in range(len(rows)):
            tg.start_soon(one, i)
    return [r for r in results if r is not None]


def write_results(out: Path, verdicts: Sequence[Verdict]) -> tuple[Path, Path]:
    """``accepted.jsonl`` (input rows unchanged) and ``rejected.jsonl`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    accepted, rejected = out / "accepted.jsonl", out / "rejected.jsonl"
    with accepted.open("w", encoding="utf-8") as ok, rejected.open("w", encoding="utf-8") as bad:
        for v in verdicts:
            if v.passed:
                ok.write(json.dumps(v.row.raw, ensure_ascii=False) + "\n")
            else:
                entry = {"id": v.row.id, "stage": v.stage, "reason": v.reason,
                         "detail": v.detail, "row": v.row.raw}  # fmt: skip
                bad.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return accepted, rejected


def table(verdicts: Sequence[Verdict], stages: Sequence[str]) -> str:
    """Counts per stage and reason, in pipeline order, then the totals."""
    counts = Counter((v.stage, v.reason) for v in verdicts if not v.passed)
    reached = len(verdicts)
    lines = [f"{'stage':<10} {'reason':<22} {'rows':>8}"]
    for stage in stages:
        failed = {r: n for (s, r), n in counts.items() if s == stage}
        lines.append(f"{stage:<10} {'checked':<22} {reached:>8}")
        for reason, n in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"{'':<10} {reason:<22} {n:>8}")
        reached -= sum(failed.values())
    passed = sum(1 for v in verdicts if v.passed)
    lines.append(f"{'accepted':<33} {passed:>8}")
    lines.append(f"{'rejected':<33} {len(verdicts) - passed:>8}")
    return "\n".join(lines)


class ProgressBar:
    """A one-line bar on a terminal; silent otherwise (logs and pipes get the table only)."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = stream.isatty() and total >= PROGRESS_MIN_ROWS

    def tick(self) -> None:
        """One more row done."""
        self.done += 1
        if self.enabled and (self.done % 10 == 0 or self.done == self.total):
            filled = self.WIDTH * self.done // max(self.total, 1)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


async def verify(config: Config, rows: Sequence[Row], names: Sequence[str]) -> list[Verdict]:
    """Open the stages, check every row, close the stages."""
    bar = ProgressBar(len(rows))
    async with open_in_process(config, names) as stages:
        return await check_rows(rows, stages, bar.tick)
