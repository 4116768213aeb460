"""A test-only declaration: the real format and dedup stages with a pass-through between them.

Every topic and every stage name carries the test's tag, so that a run over Kafka has its own
topics, consumer groups and changelog, apart from the pipeline's and other tests'.
"""

from __future__ import annotations

import dataclasses

from apigen_stream.records import Call, Candidate, Tool
from apigen_stream.spec import DEDUP, FORMAT, PipelineSpec, StageSpec

PASS_MODULE = "tests.support.passthrough"


def with_pass_through(tag: str) -> PipelineSpec:
    """format → pass → dedup, on topics ``test.<role>.<tag>``."""
    names = {
        role: f"test.{role}.{tag}" for role in ("candidates", "checked", "formatted", "unique")
    }

    def tagged(spec: StageSpec, output_role: str = "") -> StageSpec:
        output_role = output_role or spec.output_role
        return dataclasses.replace(spec, name=f"{spec.name}-{tag}", topic_names=names,
                                   output_role=output_role)  # fmt: skip

    passing = StageSpec(
        name="pass", module=PASS_MODULE, input_role="checked", output_role="formatted",
        input_record=Candidate, reasons=frozenset(),
    )  # fmt: skip
    pipeline = PipelineSpec(
        stages=(tagged(FORMAT, output_role="checked"), tagged(passing), tagged(DEDUP))
    )
    pipeline.check()
    return pipeline


ECHO = Tool(
    name="echo",
    description="Echo a number.",
    parameters={"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
)
# Distinct contents among the candidates ``candidates`` makes; the rest are copies.
DISTINCT = 10


def _echo(cid: str, n: int) -> Candidate:
    return Candidate(
        id=cid, query=f"echo {n}", tools=[ECHO], calls=[Call(name="echo", arguments={"n": n})]
    )


def candidates(prefix: str, count: int) -> list[Candidate]:
    """``count`` candidates: ``DISTINCT`` contents repeated, and one the format stage rejects."""
    made = [_echo(f"{prefix}-{i:06d}", i % DISTINCT) for i in range(count - 1)]
    unknown = Call(name="nope", arguments={})
    made.append(Candidate(id=f"{prefix}-bad", query="nope", tools=[ECHO], calls=[unknown]))
    return made
