"""The funnel: how many tasks, candidates, rejections per stage and reason, and samples.

Pure counting and printing: the embedded pipeline feeds it the records it sees on the bus, and
prints a live progress line and, at the end, the table. ``in_flight`` is what the pipeline uses
for flow control: candidates neither accepted nor rejected yet, and tasks not yet generated.

The table's figures add up: ``accepted`` is what was written; a sample that passed every stage
after the count asked for was reached is ``past the count``, and a candidate with no verdict
when the run stopped is ``abandoned at stop``; neither is part of the yield, which is accepted
over candidates that got a verdict.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import msgspec

from apigen_stream.records import Candidate, DeadLetter, Rejection, Sample, Task
from apigen_stream.spec import PIPELINE

# Pipeline order, so the table reads top to bottom as a candidate travels.
STAGE_ORDER = PIPELINE.names

_TASK_DECODER = msgspec.json.Decoder(Task)


@dataclass
class Funnel:
    """Counters of one pipeline run; see the module docstring."""

    started: float
    tasks: int = 0
    # Tasks the generator answered (with candidates, or a rejection of the task).
    answered: int = 0
    candidates: int = 0
    accepted: int = 0
    past_count: int = 0
    rejected: Counter[tuple[str, str]] = field(default_factory=Counter)
    dead_letters: Counter[tuple[str, str]] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)
    # role -> LLM requests (timed-out attempts included), and the cost of every request.
    requests: Counter[str] = field(default_factory=Counter)
    cost: float = 0.0
    # role -> tokens of the accepted samples alone: the least a run could have spent.
    accepted_tokens: Counter[str] = field(default_factory=Counter)
    open_tasks: set[str] = field(default_factory=set)
    open_candidates: int = 0

    def task(self, task: Task) -> None:
        """A task was sent to the generator."""
        self.tasks += 1
        self.open_tasks.add(task.id)

    def candidate(self, candidate: Candidate) -> None:
        """The generator produced a candidate."""
        self.candidates += 1
        self.open_candidates += 1
        self._answered(candidate.task_id)
        prov = candidate.provenance
        self._spent(prov.tokens, prov.requests, prov.cost)

    def rejection(self, rejection: Rejection) -> None:
        """A stage rejected a task or a candidate; what it spent on it is counted."""
        self.rejected[(rejection.stage, rejection.reason)] += 1
        self._spent(rejection.tokens, rejection.requests, rejection.cost)
        if isinstance(rejection.subject, Task):
            self._answered(rejection.subject.id)
        else:
            self.open_candidates -= 1

    def _answered(self, task_id: str) -> None:
        if task_id in self.open_tasks:
            self.open_tasks.discard(task_id)
            self.answered += 1

    def _spent(
        self, tokens: dict[str, int], requests: dict[str, int], cost: dict[str, float]
    ) -> None:
        self.tokens.update(tokens)
        self.requests.update(requests)
        self.cost += sum(cost.values())

    @property
    def total_tokens(self) -> int:
        """Tokens of every request of both roles so far."""
        return sum(self.tokens.values())

    def dead_letter(self, letter: DeadLetter) -> None:
        """A stage could not process a record at all."""
        self.dead_letters[(letter.stage, letter.reason)] += 1
        if letter.stage == STAGE_ORDER[0]:
            try:
                self.open_tasks.discard(_TASK_DECODER.decode(letter.payload).id)
            except msgspec.DecodeError:
                self.open_tasks.clear()  # unknowable: do not let flow control wait for it
        else:
            self.open_candidates -= 1

    def sample(self, sample: Sample, *, written: bool = True) -> None:
        """A sample passed every stage; ``written=False``: past the count, not written."""
        if written:
            self.accepted += 1
        else:
            self.past_count += 1
        self.open_candidates -= 1
        prov = sample.provenance
        self.accepted_tokens.update(prov.tokens)
        self.tokens["judge"] += prov.tokens.get("judge", 0)
        self.requests["judge"] += prov.requests.get("judge", 0)
        # The generator's part was counted when the candidate was generated.
        self.cost += prov.cost.get("judge", 0.0)

    @property
    def in_flight(self) -> int:
        """Tasks awaiting the generator plus candidates awaiting a verdict."""
        return len(self.open_tasks) + max(0, self.open_candidates)

    @property
    def abandoned(self) -> int:
        """Candidates that had no verdict yet (at the end of a run: abandoned at stop)."""
        return max(0, self.open_candidates)

    @property
    def decided(self) -> int:
        """Candidates with a verdict, not counting samples past the count."""
        return self.candidates - self.abandoned - self.past_count

    def yield_ratio(self) -> float | None:
        """Accepted samples over candidates that got a verdict (None before any did)."""
        return self.accepted / self.decided if self.decided > 0 else None

    def rate(self, now: float) -> float:
        """Accepted samples per second so far."""
        return self.accepted / max(now - self.started, 1e-9)

    def progress_line(self, now: float) -> str:
        """One short line for a live display."""
        rejected = sum(self.rejected.values())
        return (
            f"{now - self.started:6.1f}s  tasks {self.tasks}  candidates {self.candidates}  "
            f"rejected {rejected}  accepted {self.accepted}  ({self.rate(now):.1f}/s)"
        )

    def report(self, now: float) -> str:
        """The funnel table printed at the end of a run."""
        lines = [
            f"tasks        {self.tasks:>8}  sampled",
            f"             {self.answered:>8}  answered",
            f"candidates   {self.candidates:>8}",
            "rejected",
        ]
        for (stage, reason), n in _ordered(self.rejected):
            lines.append(f"  {stage:<10} {reason:<22} {n:>8}")
        if not self.rejected:
            lines.append("  (none)")
        for (stage, reason), n in _ordered(self.dead_letters):
            lines.append(f"dead letter  {stage:<10} {reason:<22} {n:>8}")
        lines.append(f"accepted     {self.accepted:>8}")
        if self.past_count:
            lines.append(f"past the count (not written) {self.past_count:>8}")
        if self.abandoned:
            lines.append(f"abandoned at stop (no verdict) {self.abandoned:>6}")
        ratio = self.yield_ratio()
        if ratio is not None:
            share = f"{100.0 * ratio:>7.1f}%"
            lines.append(f"yield        {share}  (accepted / candidates with a verdict)")
        tokens = ", ".join(f"{role} {n}" for role, n in sorted(self.tokens.items()) if n)
        lines.append(f"tokens       {tokens or '0 (offline)'}")
        lines.extend(self._spend_lines())
        lines.append(f"time         {now - self.started:>7.1f}s  ({self.rate(now):.2f} samples/s)")
        return "\n".join(lines)

    def _spend_lines(self) -> list[str]:
        if not any(self.requests.values()):
            return []  # offline
        requests = ", ".join(f"{role} {n}" for role, n in sorted(self.requests.items()) if n)
        lines = [f"requests     {requests}"]
        if self.accepted:
            per = self.total_tokens / self.accepted
            lines.append(f"per sample   {per:.0f} tokens, {self.cost / self.accepted:.6f} cost")
        if self.cost:
            lines.append(f"cost         {self.cost:.6f}")
        return lines


def _ordered(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    def key(item: tuple[tuple[str, str], int]) -> tuple[int, int, str]:
        (stage, reason), n = item
        order = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)
        return (order, -n, reason)

    return sorted(counts.items(), key=key)
