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

from apigen_stream import reasons, topics
from apigen_stream.config import Config, KafkaConfig, ServeConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.sizing import MIN_OUTPUT_BYTES
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
    out_ids: list[str] = []
    letters: list[DeadLetter] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(runner.run)
        with anyio.move_on_after(WAIT_S):
            while len(out_ids) < 6 or not letters:
                await anyio.sleep(0.5)
                outputs = await read_committed(kafka_bootstrap, topic_out, 1)
                out_ids = [msgspec.json.decode(r.value)["id"] for r in outputs]
                letters = await letters_of(kafka_bootstrap, name)
        runner.stop()
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
