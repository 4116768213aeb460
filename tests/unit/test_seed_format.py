"""Every built-in API's seed examples pass the format check (no rejection, no dead letter),
both as the tool offers itself and after the tool goes through a topic as JSON."""

from __future__ import annotations

import msgspec

from apigen_stream.engine.codec import decode, encode
from apigen_stream.library.registry import Registry, builtin_apis
from apigen_stream.records import Candidate
from apigen_stream.stages.format import check_format
from apigen_stream.stages.stage import Reject


def test_every_builtin_seed_example_passes_the_format_check() -> None:
    registry = Registry(builtin_apis())
    problems: list[str] = []
    checked = 0
    for api in registry:
        tools = {api.name: api.tool()}
        for example in api.examples:
            for call in example.calls:
                if call.name in registry:
                    tools.setdefault(call.name, registry.get(call.name).tool())
            candidate = Candidate(
                id=example.id, query=example.query, calls=example.calls,
                tools=list(tools.values()),
                style="simple" if len(example.calls) == 1 else "parallel_multiple",
            )  # fmt: skip
            # Through the codec, as the format stage receives it over Kafka.
            received = decode(Candidate, encode(candidate))
            for record in (candidate, received):
                verdict = check_format(record)
                if isinstance(verdict, Reject):
                    problems.append(f"{api.name} {example.id}: {verdict.reason}: {verdict.detail}")
            checked += 1
    assert problems == []
    assert checked >= len(registry)  # every API has at least one seed example


def test_the_seed_whose_default_is_a_list_is_among_them() -> None:
    # Its default is a tuple in code and a JSON list on a topic: unhashable, it used to crash.
    api = Registry(builtin_apis()).get("study_plan_until_exam")
    received = msgspec.json.decode(msgspec.json.encode(api.tool()))
    defaults = [s.get("default") for s in received["parameters"]["properties"].values()]
    assert [] in defaults
