"""The semantic stage (the paper's stage 3): cheap rule checks, then an LLM judge.

Rules first, and a failed rule means no judge call: a failed execution is never shown to a
judge (a judge could pass it), a call count that does not fit the style is caught without one,
a result that is empty where data was due is caught too, and so is a query that its calls do
not match (``alignment.py``: values not stated, text altered, constraints broken, degenerate
results). Then a committee of ``llm.committee`` judges answers by majority. With no LLM
configured, the rules alone decide.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import msgspec

from apigen_stream.config import Config
from apigen_stream.errors import LLMError
from apigen_stream.llm.client import Completion, LLMClient
from apigen_stream.llm.parse import JudgeAnswer, parse_judgement
from apigen_stream.llm.prompts import RESULT_CHARS, judge_messages
from apigen_stream.llm.schema import verdict_schema
from apigen_stream.records import Candidate, Executed, Judgement, Outcome, Sample, Style
from apigen_stream.spec import SEMANTIC
from apigen_stream.stages.alignment import check_alignment
from apigen_stream.stages.stage import Accept, Declared, Reject, StateStore, Verdict

log = logging.getLogger(__name__)

NAME = "semantic"

# Styles that ask for several requests in one query, hence at least two calls.
PARALLEL_STYLES: frozenset[Style] = frozenset({"parallel", "parallel_multiple"})

# Characters of a judge's thought kept as a rejection's detail.
DETAIL_CHARS = 500

RULES_ONLY = "offline: rule checks only"


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A rule that failed: the reason code and a detail."""

    reason: str
    detail: str


def check_outcomes(calls: int, outcomes: Sequence[Outcome]) -> RuleFailure | None:
    """Every call must have run and succeeded."""
    for outcome in outcomes:
        if not outcome.ok:
            detail = f"{outcome.name}: {outcome.reason}: {outcome.detail}"[:DETAIL_CHARS]
            return RuleFailure("failed_execution", detail)
    if len(outcomes) != calls:
        return RuleFailure("failed_execution", f"{calls} calls but {len(outcomes)} outcomes")
    return None


def check_call_count(style: Style, calls: int) -> RuleFailure | None:
    """Parallel styles need two calls or more, simple and multiple one, irrelevance none."""
    if style in PARALLEL_STYLES:
        fits, wanted = calls >= 2, "at least 2"
    elif style == "irrelevance":
        fits, wanted = calls == 0, "none"
    else:
        fits, wanted = calls == 1, "exactly 1"
    if fits:
        return None
    return RuleFailure("call_count_mismatch", f"style {style} wants {wanted} calls, got {calls}")


def is_empty(result: Any) -> bool:
    """No data at all: None, a blank string or an empty object.

    An empty list stays allowed: "nothing matched" is a real answer of a search.
    """
    if result is None:
        return True
    if isinstance(result, str):
        return not result.strip()
    return isinstance(result, dict) and not result


def check_results(outcomes: Sequence[Outcome]) -> RuleFailure | None:
    """Every successful call returned some data."""
    for outcome in outcomes:
        if is_empty(outcome.result):
            return RuleFailure("empty_result", f"{outcome.name} returned {outcome.result!r}")
    return None


def check_query_alignment(executed: Executed) -> RuleFailure | None:
    """What the row says: the query and its calls agree, and the results mean something
    (``alignment.py``; the same rules for offline and model output)."""
    candidate = executed.candidate
    failed = check_alignment(candidate.query, candidate.calls, candidate.tools, executed.outcomes)
    return None if failed is None else RuleFailure(failed[0], failed[1][:DETAIL_CHARS])


def check_rules(executed: Executed) -> RuleFailure | None:
    """The first rule that fails, or None when all pass."""
    candidate = executed.candidate
    return (
        check_outcomes(len(candidate.calls), executed.outcomes)
        or check_call_count(candidate.style, len(candidate.calls))
        or check_results(executed.outcomes)
        or check_query_alignment(executed)
    )


@dataclass(frozen=True, slots=True)
class Vote:
    """One judge's answer with the completion behind it."""

    answer: JudgeAnswer
    completion: Completion


def decide(votes: Sequence[JudgeAnswer]) -> tuple[bool, str, str]:
    """(passed, reason if not, detail): a majority of yes passes; no "no" at all is unparseable.

    An unparseable verdict's detail holds the judges' raw answers (truncated), whatever keys
    they used, so the rejection shows what was said.
    """
    yes = sum(1 for v in votes if v.passed is True)
    no = [v for v in votes if v.passed is False]
    if yes * 2 > len(votes):
        thought = next(v.thought for v in votes if v.passed is True)
        return True, "", thought
    if not no:
        shown = "; ".join(repr(v.raw[: DETAIL_CHARS // max(1, len(votes))]) for v in votes)
        return False, "judge_unparseable", f"no readable verdict in: {shown}"[:DETAIL_CHARS]
    return False, "judge_fail", no[0].thought[:DETAIL_CHARS] or "the judge said no"


def spend_of(votes: Sequence[Vote]) -> tuple[dict[str, int], dict[str, int], dict[str, float]]:
    """The committee's tokens, requests and cost, each as role -> amount."""
    if not votes:
        return {}, {}, {}
    tokens = sum(v.completion.tokens for v in votes)
    requests = sum(v.completion.requests for v in votes)
    cost = sum(v.completion.cost for v in votes)
    return {"judge": tokens}, {"judge": requests}, ({"judge": cost} if cost else {})


def to_sample(
    executed: Executed, judgement: Judgement, votes: Sequence[Vote], seconds: float
) -> Sample:
    """The accepted sample, with the judges' models, tokens and this stage's time added."""
    candidate = executed.candidate
    prov = candidate.provenance
    judges = ",".join(dict.fromkeys(v.completion.model for v in votes))
    tokens, requests, cost = spend_of(votes)
    provenance = msgspec.structs.replace(
        prov, judge=judges, tokens={**prov.tokens, **tokens},
        requests={**prov.requests, **requests}, cost={**prov.cost, **cost},
        timings={**prov.timings, NAME: seconds},
    )  # fmt: skip
    return Sample(
        id=candidate.id,
        style=candidate.style,
        query=candidate.query,
        calls=candidate.calls,
        tools=candidate.tools,
        outcomes=executed.outcomes,
        judgement=judgement,
        provenance=provenance,
        created_at=candidate.created_at,
    )


class SemanticStage(Declared):
    """Stage ``semantic``: ``apigen.executed`` → ``apigen.accepted``."""

    spec = SEMANTIC

    def __init__(
        self, judge: LLMClient | None = None, committee: int = 1, result_chars: int = RESULT_CHARS
    ) -> None:
        self._judge = judge
        self._committee = max(1, committee)
        self._result_chars = result_chars

    @property
    def accepting(self) -> bool:
        """False while the judge endpoint's breaker is open: the runner then pauses fetching."""
        return self._judge is None or self._judge.breaker.accepting

    async def handle(self, record: Executed, state: StateStore) -> Sequence[Verdict]:
        """Rules, then the committee; accept as a ``Sample`` or reject with a reason code."""
        started = time.perf_counter()
        failure = check_rules(record)
        if failure is not None:
            return [Reject(failure.reason, failure.detail, record)]
        if self._judge is None:
            judgement = Judgement(passed=True, thought=RULES_ONLY)
            return [Accept(to_sample(record, judgement, [], time.perf_counter() - started))]
        try:
            votes = await self._ask(self._judge, record.candidate, record.outcomes)
        except LLMError as exc:
            spent = {"judge": exc.requests} if exc.requests else {}
            return [Reject("llm_error", str(exc), record, requests=spent)]
        passed, reason, detail = decide([v.answer for v in votes])
        if not passed:
            tokens, requests, cost = spend_of(votes)
            return [Reject(reason, detail, record, tokens=tokens, requests=requests, cost=cost)]
        ballots = [v.answer.passed is True for v in votes]
        judgement = Judgement(passed=True, thought=detail, votes=ballots)
        return [Accept(to_sample(record, judgement, votes, time.perf_counter() - started))]

    async def _ask(
        self, judge: LLMClient, candidate: Candidate, outcomes: Sequence[Outcome]
    ) -> list[Vote]:
        messages = judge_messages(candidate, outcomes, self._result_chars)
        votes: list[Vote | None] = [None] * self._committee
        schema = verdict_schema()

        async def one(seat: int) -> None:
            # A key per seat: a weighted committee draws its judges independently.
            completion = await judge.complete(
                "judge", messages, key=f"{candidate.id}#{seat}", schema=schema,
                schema_name="verdict",
            )  # fmt: skip
            votes[seat] = Vote(parse_judgement(completion.text), completion)

        try:
            async with anyio.create_task_group() as group:
                for seat in range(self._committee):
                    group.start_soon(one, seat)
        except* LLMError as failures:
            raise failures.exceptions[0] from None
        return [v for v in votes if v is not None]


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[SemanticStage]:
    """The semantic stage with its judge client (checked at start-up), or rules only offline."""
    chars = config.sandbox.judge_result_chars
    if not config.llm.online:
        yield SemanticStage(None, config.llm.committee, chars)
        return
    async with LLMClient(config.llm) as judge:
        await judge.check_endpoint()
        log.info("semantic: up to %d judge requests in flight", judge.concurrency("judge"))
        yield SemanticStage(judge, config.llm.committee, chars)
