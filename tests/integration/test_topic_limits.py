"""A written topic whose ``max.message.bytes`` is below ``kafka.max_request_bytes``.

Such a topic refuses a batch the producer sends, and the transaction would be redone for ever.
The runner reads the written topics' limits at start-up and fits outputs to the smallest
(``engine/sizing.py``): a record that fits a request but not the topic becomes a ``too_large``
dead letter and the records after it go through. A limit too small for a dead letter itself is
one line and exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import anyio
import msgspec
import pytest
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from apigen_stream import reasons, topics
from apigen_stream.broker.admin import admin_client
from apigen_stream.config import Config, KafkaConfig, ServeConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.sizing import MIN_OUTPUT_BYTES
from apigen_stream.errors import BrokerRefused
from apigen_stream.records import Candidate, DeadLetter
from tests.integration.test_runner import (
    PARTITIONS,
    WAIT_S,
    MakeTopic,
    make,
    produce,
    record_id,
    test_env,
)
from tests.support.kafka import read_committed
from tests.support.test_stages import Relay

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

# The written topic's limit: far below the 1 MiB request size, far above a dead letter.
TOPIC_LIMIT = 20_000
# The query of the record that fits a request (1 MiB) but not the topic.
BIG_QUERY = 200_000
# The limit set while a stage runs: still room for a dead letter (sizing.MIN_OUTPUT_BYTES).
LOWERED_LIMIT = 6_000


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def small_limit_topic(make_topic: MakeTopic, prefix: str, limit: int) -> str:
    name = make_topic(prefix, partitions=1, configs={"max.message.bytes": str(limit)})
    PARTITIONS[name] = 1
    return name


async def letters_of(bootstrap: str, stage: str) -> list[DeadLetter]:
    records = await read_committed(bootstrap, topics.DLQ)
    letters = [msgspec.json.decode(r.value, type=DeadLetter) for r in records]
    return [letter for letter in letters if letter.stage == stage]


async def relay_until(
    runner: StageRunner, bootstrap: str, topic_out: str, outputs: int
) -> tuple[list[str], list[DeadLetter]]:
    """Run ``runner`` until ``outputs`` records are on ``topic_out`` and it has dead-lettered
    one (or ``WAIT_S`` passed): the output ids and the stage's dead letters."""
    out_ids: list[str] = []
    letters: list[DeadLetter] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(runner.run)
        with anyio.move_on_after(WAIT_S):
            while len(out_ids) < outputs or not letters:
                await anyio.sleep(0.5)
                records = await read_committed(bootstrap, topic_out, 1)
                out_ids = [msgspec.json.decode(r.value)["id"] for r in records]
                letters = await letters_of(bootstrap, runner.stage.name)
        runner.stop()
    return out_ids, letters


async def test_a_record_over_the_topic_limit_is_a_dead_letter_and_the_rest_go_through(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in = make(make_topic, "lim.in", 1)
    topic_out = small_limit_topic(make_topic, "lim.out", TOPIC_LIMIT)
    prefix, name = f"l{uuid.uuid4().hex[:8]}", f"relay-lim-{uuid.uuid4().hex[:8]}"
    queries = ["small"] * 3 + ["q" * BIG_QUERY] + ["small"] * 3
    values = [encode(Candidate(id=record_id(prefix, i), query=q)) for i, q in enumerate(queries)]
    assert TOPIC_LIMIT < len(values[3]) < 1_048_576 // 2
    await produce(kafka_bootstrap, topic_in, values)
    config = Config(kafka=KafkaConfig(bootstrap=kafka_bootstrap, session_timeout_ms=6000),
                    serve=ServeConfig(port=0))  # fmt: skip
    runner = StageRunner(Relay(name, topic_in, topic_out), config)
    out_ids, letters = await relay_until(runner, kafka_bootstrap, topic_out, 6)
    assert out_ids == [record_id(prefix, i) for i in (0, 1, 2, 4, 5, 6)]
    [letter] = letters
    assert (letter.reason, letter.topic, letter.offset) == (reasons.TOO_LARGE, topic_in, 3)
    assert f"over the {TOPIC_LIMIT - 256}-byte limit" in letter.detail, letter.detail


def test_a_topic_too_small_for_a_dead_letter_is_one_line_and_exit_2(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in = make(make_topic, "lim.in", 1)
    topic_out = small_limit_topic(make_topic, "lim.tiny", MIN_OUTPUT_BYTES // 2)
    command = [
        sys.executable, "-m", "apigen_stream.cli", "run", "--stage",
        "tests.support.test_stages:open_relay", "--bootstrap", kafka_bootstrap,
        "--metrics-port", "0",
    ]  # fmt: skip
    env = {**os.environ, **test_env(f"relay-{uuid.uuid4().hex[:8]}", topic_in, topic_out)}
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=WAIT_S, check=False
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert topic_out in lines[0] and "max.message.bytes" in lines[0], lines[0]


async def _lower_limit(bootstrap: str, topic: str, limit: int) -> None:
    async with admin_client(bootstrap, 15.0) as client:
        resource = ConfigResource(
            ConfigResourceType.TOPIC, topic, {"max.message.bytes": str(limit)}
        )
        await client.alter_configs([resource])


async def test_a_limit_lowered_while_the_stage_runs_stops_it_with_one_reason_and_a_restart_fits(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    # A topic's limit lowered under a running stage: its outputs were fitted to the old one, so
    # the broker refuses the batch. Redoing it would be refused for ever; the stage stops with
    # the reason, and started again it reads the new limit and dead-letters what no longer fits.
    topic_in = make(make_topic, "lim.live.in", 1)
    topic_out = small_limit_topic(make_topic, "lim.live.out", TOPIC_LIMIT)
    prefix, name = f"v{uuid.uuid4().hex[:8]}", f"relay-live-{uuid.uuid4().hex[:8]}"
    config = Config(kafka=KafkaConfig(bootstrap=kafka_bootstrap, session_timeout_ms=6000),
                    serve=ServeConfig(port=0))  # fmt: skip
    small = [encode(Candidate(id=record_id(prefix, i), query="small")) for i in range(2)]
    await produce(kafka_bootstrap, topic_in, small)
    first = StageRunner(Relay(name, topic_in, topic_out), config)
    failure: list[BaseException] = []
    stopped = anyio.Event()

    async def run_first() -> None:
        try:
            await first.run()
        except BrokerRefused as exc:
            failure.append(exc)
        stopped.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(run_first)
        with anyio.fail_after(WAIT_S):
            while True:
                if len(await read_committed(kafka_bootstrap, topic_out, 1)) == 2:
                    break
                await anyio.sleep(0.5)
        await _lower_limit(kafka_bootstrap, topic_out, LOWERED_LIMIT)
        middle = encode(Candidate(id=record_id(prefix, 2), query="m" * (LOWERED_LIMIT * 2)))
        await produce(kafka_bootstrap, topic_in, [middle])
        with anyio.move_on_after(WAIT_S):
            await stopped.wait()
        first.stop()
    assert failure, "the stage kept redoing a batch the topic refuses"
    assert "max.message.bytes" in str(failure[0]) and "restart" in str(failure[0]), failure[0]
    tail = encode(Candidate(id=record_id(prefix, 3), query="small"))
    await produce(kafka_bootstrap, topic_in, [tail])
    second = StageRunner(Relay(name, topic_in, topic_out), config)
    out_ids, letters = await relay_until(second, kafka_bootstrap, topic_out, 3)
    assert out_ids == [record_id(prefix, i) for i in (0, 1, 3)]
    [letter] = letters
    assert (letter.reason, letter.offset) == (reasons.TOO_LARGE, 2)
