"""Stage 2, execute: run every call of a candidate for real, in the sandbox.

Each call's tool is looked up in the library, its arguments are validated against the library's
schema of that tool (not the candidate's copy) and bound by name; nothing is evaluated. Python
tools run in the sandbox pool's worker processes, all calls of a candidate at once; REST tools go
to the REST executor. A candidate whose calls all succeed is accepted as ``Executed``; otherwise
it is rejected with the reason of its first failed call, the ``Executed`` record as its subject.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import anyio
import msgspec

from apigen_stream import metrics
from apigen_stream.config import Config, LibraryConfig
from apigen_stream.engine.serve import publish_detail
from apigen_stream.library.harvested import load_harvested
from apigen_stream.library.load import load_registry, rest_credentials
from apigen_stream.library.registry import PROBE_EXAMPLE_SUFFIX, Api, Registry
from apigen_stream.library.validate import Check, compile_schema
from apigen_stream.records import Call, Candidate, Executed, Outcome
from apigen_stream.sandbox.pool import CallSpec, SandboxPool
from apigen_stream.sandbox.rest import RestExecutor
from apigen_stream.sandbox.results import is_error_result
from apigen_stream.spec import EXECUTE
from apigen_stream.stages.stage import Accept, Declared, Reject, StateStore, Verdict

NAME = "execute"
# Metric label for calls to tools outside the library: LLM-invented names must not become labels.
UNKNOWN_API = "unknown"
# Validation messages can quote whole arguments; the detail needs only the gist.
DETAIL_CHARS = 500


class CallRunner(Protocol):
    """Runs python tool calls (the sandbox pool); outcomes in input order."""

    async def run_many(self, calls: Sequence[CallSpec]) -> list[Outcome]: ...


class RestRunner(Protocol):
    """Runs one call of a REST tool over HTTP."""

    async def run(self, api: Api, arguments: Mapping[str, Any]) -> Outcome: ...


class ArgumentChecker:
    """Validates arguments against a tool's JSON Schema with the format stage's validator.

    Same validator, same verdicts: a call the format stage passed against the candidate's copy
    of a schema fails here only if the library's own schema differs.
    """

    def __init__(self) -> None:
        # By tool name, the library entry last checked and its compiled schema: finding the
        # compiled schema by content would encode the schema again for every call.
        self._checks: dict[str, tuple[Api, Check]] = {}

    def problem(self, api: Api, arguments: Mapping[str, Any]) -> str | None:
        """What is wrong with ``arguments`` for ``api``, or None when they are valid."""
        seen = self._checks.get(api.name)
        if seen is None or seen[0] is not api:
            seen = self._checks[api.name] = (api, compile_schema(api.parameters))
        violation = seen[1](dict(arguments))
        if violation is None:
            return None
        return f"{violation.json_path}: {violation.message}"[:DETAIL_CHARS]


@dataclass(frozen=True, slots=True)
class Runnable:
    """A call that passed the checks: its tool and its arguments."""

    api: Api
    arguments: Mapping[str, Any]


def prepare(call: Call, registry: Registry, checker: ArgumentChecker) -> Runnable | Outcome:
    """Look the tool up and validate the arguments: a ``Runnable``, or the failed ``Outcome``."""
    if call.name not in registry:
        return _failed(call.name, "not_executable", f"{call.name!r} is not in the API library")
    api = registry.get(call.name)
    if not api.executable:
        return _failed(call.name, "not_executable", f"{call.name!r} has a schema but no code")
    problem = checker.problem(api, call.arguments)
    if problem is not None:
        return _failed(call.name, "invalid_arguments", problem)
    return Runnable(api=api, arguments=call.arguments)


def settle(outcome: Outcome) -> Outcome:
    """A successful call whose result is an error payload is a failed execution."""
    if outcome.ok and is_error_result(outcome.result):
        detail = msgspec.json.encode(outcome.result).decode()[:DETAIL_CHARS]
        return msgspec.structs.replace(outcome, ok=False, reason="error_result", detail=detail)
    return outcome


def decide(candidate: Candidate, outcomes: list[Outcome], seconds: float) -> Verdict:
    """Accept when every call succeeded, else reject with the first failed call's reason."""
    provenance = candidate.provenance
    timings = {**provenance.timings, NAME: seconds}
    stamped = msgspec.structs.replace(
        candidate, provenance=msgspec.structs.replace(provenance, timings=timings)
    )
    executed = Executed(candidate=stamped, outcomes=outcomes)
    failed = next((o for o in outcomes if not o.ok), None)
    if failed is None:
        return Accept(executed)
    index = outcomes.index(failed)
    detail = f"call {index} ({failed.name}): {failed.detail}"
    return Reject(reason=failed.reason, detail=detail, subject=executed)


def _failed(name: str, reason: str, detail: str) -> Outcome:
    return Outcome(name=name, ok=False, reason=reason, detail=detail)


class ExecuteStage(Declared):
    """Stage 2: every call of a candidate runs for real; see the module docstring."""

    spec = EXECUTE

    def __init__(
        self, registry: Registry, pool: CallRunner, rest: RestRunner | None = None
    ) -> None:
        self._registry = registry
        self._pool = pool
        self._rest = rest
        self._checker = ArgumentChecker()

    async def handle(self, record: Candidate, state: StateStore) -> Sequence[Verdict]:
        """Run the candidate's calls and judge it by their outcomes."""
        started = time.perf_counter()
        prepared = [prepare(call, self._registry, self._checker) for call in record.calls]
        outcomes = await self._run(prepared)
        settled = [settle(o) for o in outcomes]
        count_outcomes(settled, self._registry)
        return [decide(record, settled, time.perf_counter() - started)]

    async def handle_many(
        self, records: Sequence[Candidate], state: StateStore
    ) -> list[Sequence[Verdict]]:
        """``verify``'s batch path: every call of every record in one sandbox round trip."""
        started = time.perf_counter()
        prepared = [[prepare(c, self._registry, self._checker) for c in r.calls] for r in records]
        flat = await self._run([p for calls in prepared for p in calls])
        settled = [settle(o) for o in flat]
        count_outcomes(settled, self._registry)
        seconds = time.perf_counter() - started
        verdicts: list[Sequence[Verdict]] = []
        start = 0
        for record, calls in zip(records, prepared, strict=True):
            outcomes = settled[start : start + len(calls)]
            start += len(calls)
            verdicts.append([decide(record, outcomes, seconds)])
        return verdicts

    async def _run(self, prepared: list[Runnable | Outcome]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [p if isinstance(p, Outcome) else None for p in prepared]
        python = [(i, p) for i, p in enumerate(prepared) if isinstance(p, Runnable)
                  and p.api.kind == "python"]  # fmt: skip
        rest = [(i, p) for i, p in enumerate(prepared) if isinstance(p, Runnable)
                and p.api.kind == "rest"]  # fmt: skip

        async def run_python() -> None:
            specs = [(p.api.target, p.api.name, p.arguments) for _, p in python]
            for (i, _), outcome in zip(python, await self._pool.run_many(specs), strict=True):
                outcomes[i] = outcome

        async def run_rest(i: int, runnable: Runnable) -> None:
            outcomes[i] = await self._run_rest(runnable)

        async with anyio.create_task_group() as tg:
            if python:
                tg.start_soon(run_python)
            for i, runnable in rest:
                tg.start_soon(run_rest, i, runnable)
        return [o for o in outcomes if o is not None]

    async def _run_rest(self, runnable: Runnable) -> Outcome:
        if self._rest is None:
            return _failed(runnable.api.name, "not_executable", "no REST executor is configured")
        return await self._rest.run(runnable.api, runnable.arguments)


def harvested_targets(library: LibraryConfig) -> frozenset[str]:
    """The shipped harvested library's targets, if it is loaded: reviewed code, like the
    built-ins, whose calls may share a fork (a user's tools get one of their own)."""
    if not (library.builtin and library.harvested):
        return frozenset()
    return frozenset(api.target for api in load_harvested())


def warm_up_calls(registry: Registry) -> list[CallSpec]:
    """The first seed call of every python tool that has one: what a worker runs first.

    Harvested tools are left out: their probe showed each call is fast once its package is
    imported, and importing thousands of tools' packages (scipy, pandas) into every worker at
    start would cost more than the first calls it spares.
    """
    calls: list[CallSpec] = []
    for api in registry:
        if api.kind != "python" or any(e.id.endswith(PROBE_EXAMPLE_SUFFIX) for e in api.examples):
            continue
        seed = next((c for e in api.examples for c in e.calls if c.name == api.name), None)
        if seed is not None:
            calls.append((api.target, api.name, seed.arguments))
    return calls


def count_outcomes(outcomes: Sequence[Outcome], registry: Registry) -> None:
    """Count the calls by API and outcome, and time them by kind.

    Each label set is looked up once per batch: a lookup costs more than the call it counts.
    """
    calls: Counter[tuple[str, str]] = Counter()
    seconds: dict[str, list[float]] = {}
    for outcome in outcomes:
        known = outcome.name in registry
        api = outcome.name if known else UNKNOWN_API
        calls[api, "ok" if outcome.ok else outcome.reason] += 1
        if known and outcome.elapsed_ms:
            seconds.setdefault(registry.get(outcome.name).kind, []).append(
                outcome.elapsed_ms / 1000.0
            )
    for (api, result), n in calls.items():
        metrics.EXECUTION_CALLS.labels(api=api, outcome=result).inc(n)
    for kind_of_tool, values in seconds.items():
        histogram = metrics.EXECUTION_SECONDS.labels(kind=kind_of_tool)
        for value in values:
            histogram.observe(value)


@asynccontextmanager
async def open_stage(config: Config) -> AsyncIterator[ExecuteStage]:
    """The execute stage over the configured library, with its sandbox pool and REST client."""
    registry = load_registry(config.library, {})
    # The credentials the registry's security schemes name, from this process's environment.
    credentials = rest_credentials(registry, config.library.credentials, os.environ)
    rest = RestExecutor.from_config(config.sandbox, credentials)
    warm_up = warm_up_calls(registry) if config.sandbox.warm_up else []
    reviewed = harvested_targets(config.library)
    async with SandboxPool(config.sandbox, warm_up=warm_up, reviewed=reviewed) as pool, rest:
        publish_detail("sandbox", pool.layers)
        yield ExecuteStage(registry, pool, rest)
