"""What ``apigen-stream top`` shows, computed from metrics and backlogs: pure, no I/O.

``Totals.of(texts)`` sums the Prometheus text of every endpoint (replicas add up);
``rows(before, after, seconds, ...)`` gives one ``StageRow`` per service: records in and out per
second over the last interval, and since start the handled, rejected (share and top reasons)
and dead-letter counts, records behind, replicas, LLM requests, tokens and cost. ``plain_lines``
and ``table`` render them: periodic lines, or a rich table for a terminal.

"In" is what left the stage with any verdict (what it handled), "out" what it accepted. A
counter that went down (a restarted replica starts from 0) counts as no progress for that
interval, never as negative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families
from rich import box
from rich.table import Table

from apigen_stream.spec import PIPELINE

SERVICES = PIPELINE.processes
# The LLM role each stage's requests are made in.
LLM_ROLES = {"generate": "generator", "semantic": "judge"}
TOP_REASONS = 3
COST_METRIC = "apigen_llm_cost_usd"


@dataclass(frozen=True)
class Prices:
    """US dollars per million prompt and completion tokens (0: not known)."""

    prompt: float = 0.0
    completion: float = 0.0

    @property
    def known(self) -> bool:
        """Whether any price was given."""
        return bool(self.prompt or self.completion)


@dataclass
class Totals:
    """Counters summed over every endpoint, and which services the endpoints run."""

    records: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    llm_requests: Counter[str] = field(default_factory=Counter)
    llm_tokens: Counter[tuple[str, str]] = field(default_factory=Counter)
    llm_cost: dict[str, float] = field(default_factory=dict)
    replicas: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, texts: Iterable[tuple[str, str]]) -> Totals:
        """From ``(service or "", metrics text)`` of each endpoint that answered."""
        totals = cls()
        for service, text in texts:
            stages = totals.add(text)
            for stage in {service} if service else stages:
                totals.replicas[stage] += 1
        return totals

    def add(self, text: str) -> set[str]:
        """Add one endpoint's metrics; returns the stages it reports on."""
        stages: set[str] = set()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels, value = sample.labels, sample.value
                if sample.name == "apigen_records_total":
                    key = (labels["stage"], labels["outcome"], labels["reason"])
                    self.records[key] += int(value)
                    stages.add(labels["stage"])
                elif sample.name == "apigen_in_flight":
                    stages.add(labels["stage"])
                elif sample.name == "apigen_llm_requests_total":
                    self.llm_requests[labels["role"]] += int(value)
                elif sample.name == "apigen_llm_tokens_total":
                    self.llm_tokens[(labels["role"], labels["kind"])] += int(value)
                elif sample.name == f"{COST_METRIC}_total":
                    role = labels.get("role", "")
                    self.llm_cost[role] = self.llm_cost.get(role, 0.0) + value
        return stages

    def outcome(self, stage: str, outcome: str) -> int:
        """Records of ``stage`` with ``outcome``, all reasons."""
        return sum(n for (s, o, _), n in self.records.items() if s == stage and o == outcome)

    def handled(self, stage: str) -> int:
        """Records that left ``stage`` with any verdict."""
        return sum(n for (s, _, _), n in self.records.items() if s == stage)

    def reasons(self, stage: str) -> list[tuple[str, int]]:
        """Rejection reasons of ``stage``, most frequent first."""
        found = Counter({r: n for (s, o, r), n in self.records.items()
                         if s == stage and o == "rejected" and n})  # fmt: skip
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class StageRow:
    """One line of the view."""

    stage: str
    replicas: int
    in_rate: float
    out_rate: float
    handled: int
    rejected: int
    reasons: Sequence[tuple[str, int]]
    dead: int
    behind: int | None
    behind_exact: bool
    llm_requests: int
    tokens: int
    cost: float | None

    @property
    def rejection_rate(self) -> float | None:
        """Rejected over handled since start (None before any record)."""
        return self.rejected / self.handled if self.handled else None


def _per_second(now: int, then: int, seconds: float) -> float:
    return max(0, now - then) / seconds if seconds > 0 else 0.0


def _cost(totals: Totals, role: str, prices: Prices) -> float | None:
    if role in totals.llm_cost:
        return totals.llm_cost[role]
    if not prices.known:
        return None
    tokens = totals.llm_tokens
    prompt = tokens[(role, "prompt")] * prices.prompt
    completion = tokens[(role, "completion")] * prices.completion
    return (prompt + completion) / 1e6


def rows(
    before: Totals, after: Totals, seconds: float, *,
    behind: Mapping[str, tuple[int, bool]] | None = None, prices: Prices = Prices(),
) -> list[StageRow]:  # fmt: skip
    """One row per service, in pipeline order; ``behind`` maps a group to (records, exact)."""
    result = []
    for stage in SERVICES:
        role = LLM_ROLES.get(stage, "")
        lag = (behind or {}).get(stage)
        result.append(StageRow(
            stage=stage, replicas=after.replicas[stage],
            in_rate=_per_second(after.handled(stage), before.handled(stage), seconds),
            out_rate=_per_second(after.outcome(stage, "accepted"),
                                 before.outcome(stage, "accepted"), seconds),
            handled=after.handled(stage), rejected=after.outcome(stage, "rejected"),
            reasons=after.reasons(stage)[:TOP_REASONS], dead=after.outcome(stage, "dead_letter"),
            behind=lag[0] if lag else None, behind_exact=lag[1] if lag else True,
            llm_requests=after.llm_requests[role] if role else 0,
            tokens=sum(n for (r, _), n in after.llm_tokens.items() if r == role) if role else 0,
            cost=_cost(after, role, prices) if role else None,
        ))  # fmt: skip
    return result


def _share(row: StageRow) -> str:
    rate = row.rejection_rate
    return "-" if rate is None else f"{100.0 * rate:.1f}%"


def _reasons(row: StageRow) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in row.reasons) or "-"


def _behind(row: StageRow) -> str:
    if row.behind is None:
        return "-"
    return f"{row.behind}" if row.behind_exact else f"<={row.behind}"


def _cost_text(row: StageRow) -> str:
    return "-" if row.cost is None else f"${row.cost:.4f}"


def plain_lines(stamp: str, stage_rows: Iterable[StageRow]) -> list[str]:
    """One line per stage, for logs and pipes."""
    return [
        f"{stamp} {r.stage} replicas={r.replicas} in={r.in_rate:.1f}/s out={r.out_rate:.1f}/s "
        f"handled={r.handled} rejected={r.rejected} ({_share(r)}: {_reasons(r)}) "
        f"dead={r.dead} behind={_behind(r)} llm={r.llm_requests} tokens={r.tokens} "
        f"cost={_cost_text(r)}"
        for r in stage_rows
    ]


COLUMNS = ("stage", "replicas", "in/s", "out/s", "handled", "rejected", "rej %", "top reasons",
           "dead", "behind", "llm req", "tokens", "cost")  # fmt: skip


def cells(row: StageRow) -> list[str]:
    """The table's cells of one row, in ``COLUMNS`` order."""
    return [
        row.stage, str(row.replicas), f"{row.in_rate:.1f}", f"{row.out_rate:.1f}",
        str(row.handled), str(row.rejected), _share(row), _reasons(row), str(row.dead),
        _behind(row), str(row.llm_requests), str(row.tokens), _cost_text(row),
    ]  # fmt: skip


def table(title: str, stage_rows: Iterable[StageRow]) -> Table:
    """The live view: one row per stage."""
    view = Table(title=title, box=box.ASCII, expand=False)
    for name in COLUMNS:
        view.add_column(name, justify="left" if name in ("stage", "top reasons") else "right",
                        no_wrap=True)  # fmt: skip
    for row in stage_rows:
        view.add_row(*cells(row))
    return view
