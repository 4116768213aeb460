"""Planning ``up``: replicas, commands, metrics targets, and when a run is drained."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from apigen_stream.broker.backlog import GroupState, gap
from apigen_stream.errors import ConfigError
from apigen_stream.services.topology import drained, parse_replicas, plan, targets


def test_replicas_are_parsed_and_bad_ones_are_one_clear_error() -> None:
    assert parse_replicas("execute=3, generate=2") == {"execute": 3, "generate": 2}
    assert parse_replicas("") == {}
    assert parse_replicas("sampler=0") == {"sampler": 0}
    with pytest.raises(ConfigError, match="'sampler=2' is not STAGE=N"):
        parse_replicas("sampler=2")
    with pytest.raises(ConfigError, match="N must be 1 to 32"):
        parse_replicas("execute=0")


def test_plan_runs_every_service_with_its_own_port_and_replica_ids() -> None:
    specs = plan({"execute": 2}, python="py", bootstrap="b:1", out=Path("d"),
                 ports=itertools.count(9000), config="c.toml", count=200, rate=5)  # fmt: skip
    names = [s.name for s in specs]
    assert names == ["sampler-1", "generate-1", "format-1", "dedup-1", "execute-1", "execute-2",
                     "semantic-1", "sink-1"]  # fmt: skip
    assert len({s.port for s in specs}) == len(specs)
    by_name = {s.name: list(s.argv) for s in specs}
    assert by_name["sampler-1"][-4:] == ["--count", "200", "--rate", "5"]
    assert by_name["sink-1"][-2:] == ["--out", "d"]
    # The first replica's static member id is the host's; the second gets its own.
    assert "--replica-id" not in by_name["execute-1"]
    assert by_name["execute-2"][by_name["execute-2"].index("--replica-id") + 1] == "2"
    assert all(s.finishes == (s.service == "sampler") for s in specs)
    document = targets(specs)
    assert document[5] == {"targets": ["127.0.0.1:9005"],
                           "labels": {"service": "execute", "replica": "2"}}  # fmt: skip


def test_drained_needs_every_group_at_zero_counted_exactly() -> None:
    zero = [GroupState(group="format", topic="t", behind=0)]
    assert drained(zero)
    assert not drained([])
    assert not drained([*zero, GroupState(group="dedup", topic="t", behind=1)])
    assert not drained([GroupState(group="dedup", topic="t", behind=0, exact=False)])


def test_gap_starts_at_the_beginning_when_nothing_was_committed() -> None:
    assert gap(None, 5, 9) == 4
    assert gap(-1, 5, 9) == 4
    assert gap(8, 5, 9) == 1
    assert gap(2, 5, 9) == 4  # committed before retention removed records
    assert gap(9, 5, 9) == 0
