"""Poison records through the real format and execute stages, each a service over real Kafka.

Each stage runs as ``apigen-stream run --stage`` (the real stage, opened by its own
``open_stage``, on this test's topics: ``tests.support.real_stages:open_format``). It is fed the
hostile corpus (``tests.support.hostile_corpus``) and the outputs that outgrow a Kafka request,
then good records. Every input record must be accounted for exactly once (accepted, rejected
or dead-lettered, by its offset), with the outcome it must get; the stage stays alive,
``/healthz`` answers throughout, and the good records come out after the poison ones.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import anyio
import msgspec
import pytest

from apigen_stream import reasons, topics
from apigen_stream.broker.local import LocalKafka
from apigen_stream.config import Config, KafkaConfig, ServeConfig
from apigen_stream.engine.codec import encode
from apigen_stream.engine.log_limit import RateLimit
from apigen_stream.engine.runner import StageRunner
from apigen_stream.engine.serve import serve_http
from apigen_stream.engine.sizing import DETAIL_CHARS, record_limit
from apigen_stream.records import Call, Candidate, DeadLetter, Executed, Rejection, Tool
from tests.integration.test_runner import PARTITIONS, MakeTopic, make, produce, test_env
from tests.support.hostile_corpus import GOOD, HostileCase, by_name, kafka_cases
from tests.support.kafka import read_committed
from tests.support.real_stages import HOG
from tests.support.test_stages import Relay

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

# Seconds a test may wait for every record to be accounted for.
WAIT_S = 120.0
# Seconds SIGTERM may take to end a stage, whatever it is processing.
SIGTERM_BOUND_S = 10.0
LIMIT = record_limit(1_048_576)
# Seconds the broker stays down in the readiness test.
OUTAGE_S = 5.0
POISON_LIBRARY = {
    "APIGEN__LIBRARY__BUILTIN": "false",
    "APIGEN__LIBRARY__PYTHON_MODULES": '["tests.support.poison_tools"]',
    "APIGEN__SANDBOX__PRELOAD": "[]",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass(frozen=True)
class Expected:
    """What the record at one input offset must get: kind and the reasons that may say so."""

    kind: str
    reasons: frozenset[str] = frozenset({""})


def expected_of(case: HostileCase) -> Expected:
    assert case.stage is not None
    return Expected(case.stage.kind, frozenset({case.stage.reason}))


def with_id(value: bytes, record_id: str) -> bytes:
    """A corpus record under an id of this run (the corpus names them all ``hostile``)."""
    return value.replace(b'"id": "hostile"', f'"id": "{record_id}"'.encode(), 1)


def record_id(prefix: str, offset: int) -> str:
    return f"{prefix}-{offset:06d}"


def good(record_id_: str) -> bytes:
    """The corpus's good record under an id of this run."""
    return GOOD.replace(b'"id": "good"', f'"id": "{record_id_}"'.encode(), 1)


def grows_past_the_limit(rid: str) -> bytes:
    """An acceptable candidate just under the request limit; the stage's stamp makes it over."""
    base = Candidate(id=rid, query="", calls=[Call(name="probe", arguments={"x": 1})],
                     tools=[Tool(name="probe", parameters={"type": "object"})])  # fmt: skip
    query = "q" * (LIMIT - len(encode(base)) - len(rid) - 8)
    value = encode(msgspec.structs.replace(base, query=query))
    assert LIMIT - 64 < len(value) + len(rid) <= LIMIT
    return value


def names_rejection(rid: str) -> bytes:
    """A candidate whose rejection detail lists 40,000 argument names: over 1 MiB with them."""
    names: dict[str, Any] = {f"argument_{i:05d}": {} for i in range(40_000)}
    tool = Tool(name="probe", parameters={"type": "object", "properties": names})
    return encode(Candidate(id=rid, query="q", calls=[Call(name="probe", arguments={"zz": 1})],
                            tools=[tool]))  # fmt: skip


def pads(rid: str, *sizes: int) -> bytes:
    """A candidate calling ``pad`` once per size: results of those lengths."""
    calls = [Call(name="pad", arguments={"size": size}) for size in sizes]
    return encode(Candidate(id=rid, query="q", calls=calls))


class Service:
    """``apigen-stream run --stage tests.support.real_stages:FACTORY`` as a child process."""

    def __init__(self, bootstrap: str, factory: str, env: Mapping[str, str], *args: str):
        command = [
            sys.executable, "-m", "apigen_stream.cli", "run", "--stage",
            f"tests.support.real_stages:{factory}", "--bootstrap", bootstrap,
            "--metrics-port", "0", *args,
        ]  # fmt: skip
        environ = {**os.environ, "APIGEN__KAFKA__SESSION_TIMEOUT_MS": "6000", **env}
        self.process = subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("metrics="), line + self.stderr()
        self.address = line.removeprefix("metrics=")

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def terminate(self) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds it took."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        return code, time.monotonic() - started

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


Seen = dict[int, list[tuple[str, str, Any]]]


async def outcomes(bootstrap: str, name: str, topic_out: str, prefix: str) -> Seen:
    """Every output of stage ``name``, by the input offset it answers: (kind, reason, record)."""
    found: Seen = {}

    def offset_of(rid: str) -> int | None:
        return int(rid.rsplit("-", 1)[1]) if rid.startswith(prefix + "-") else None

    for record in await read_committed(bootstrap, topic_out, PARTITIONS[topic_out]):
        data = msgspec.json.decode(record.value)
        rid = data["candidate"]["id"] if data.get("type") == "executed" else data["id"]
        if (offset := offset_of(rid)) is not None:
            found.setdefault(offset, []).append(("accepted", "", record))
    for record in await read_committed(bootstrap, topics.REJECTED):
        rejection = msgspec.json.decode(record.value, type=Rejection)
        if rejection.stage == name and (offset := offset_of(rejection.id)) is not None:
            found.setdefault(offset, []).append(("rejected", rejection.reason, rejection))
    for record in await read_committed(bootstrap, topics.DLQ):
        letter = msgspec.json.decode(record.value, type=DeadLetter)
        if letter.stage == name:
            found.setdefault(letter.offset, []).append(("dead_letter", letter.reason, letter))
    return found


async def settle(bootstrap: str, name: str, topic_out: str, prefix: str, count: int) -> Seen:
    """The outcomes once ``count`` offsets have one (or time is up), read once more after."""
    with anyio.move_on_after(WAIT_S):
        while len(await outcomes(bootstrap, name, topic_out, prefix)) < count:  # noqa: ASYNC110
            await anyio.sleep(1.0)
    await anyio.sleep(1.0)
    return await outcomes(bootstrap, name, topic_out, prefix)


def assert_accounted(seen: Seen, expected: Sequence[Expected]) -> None:
    """Every offset answered exactly once, each with its expected kind and reason."""
    assert sorted(seen) == list(range(len(expected)))
    assert [len(seen[offset]) for offset in sorted(seen)] == [1] * len(expected)
    wrong = [
        (offset, seen[offset][0][:2], (want.kind, sorted(want.reasons)))
        for offset, want in enumerate(expected)
        if seen[offset][0][0] != want.kind or seen[offset][0][1] not in want.reasons
    ]
    assert wrong == [], "(offset, got, wanted)"


class Health:
    """Polls ``/healthz`` while the stage works; ``slowest`` is the longest answer (s)."""

    def __init__(self, address: str):
        self.address = address
        self.slowest = 0.0
        self.failures = 0
        self.answers = 0

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=3.0)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while True:
                started = time.monotonic()
                try:
                    async with http.get(f"{self.address}/healthz") as response:
                        assert response.status == 200
                    self.answers += 1
                except (aiohttp.ClientError, TimeoutError):
                    self.failures += 1
                self.slowest = max(self.slowest, time.monotonic() - started)
                await anyio.sleep(0.2)


def lane(make_topic: MakeTopic, stage: str) -> tuple[str, str, str, str]:
    """One-partition input (offsets are production order) and output topics, prefix, name."""
    tag = os.urandom(4).hex()
    return make(make_topic, "p.in", 1), make(make_topic, "p.out", 1), f"p{tag}", f"{stage}-{tag}"


async def test_format_stage_gives_every_poison_record_a_verdict_and_goes_on(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "format")
    values: list[bytes] = []
    expected: list[Expected] = []
    for case in kafka_cases():
        assert case.candidate is not None
        values.append(with_id(case.candidate, record_id(prefix, len(values))))
        expected.append(expected_of(case))
    values.append(grows_past_the_limit(record_id(prefix, len(values))))
    expected.append(Expected("dead_letter", frozenset({reasons.TOO_LARGE})))
    big_names = len(values)
    values.append(names_rejection(record_id(prefix, big_names)))
    expected.append(Expected("rejected", frozenset({"unknown_argument"})))
    first_good = len(values)
    for _ in range(20):
        values.append(good(record_id(prefix, len(values))))
        expected.append(Expected("accepted"))
    keys = [f"key-{i}".encode() for i in range(len(values))]
    await produce(kafka_bootstrap, topic_in, values, keys)

    service = Service(kafka_bootstrap, "open_format", test_env(name, topic_in, topic_out))
    health = Health(service.address)
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(health.run)
            seen = await settle(kafka_bootstrap, name, topic_out, prefix, len(values))
            tg.cancel_scope.cancel()
        alive = service.process.poll() is None
    finally:
        service.close()
    assert alive, service.stderr()
    assert_accounted(seen, expected)
    assert health.failures == 0 and health.answers > 0 and health.slowest < 2.0
    grown = first_good - 2
    [(_, _, letter)] = seen[grown]
    assert (letter.topic, letter.offset, letter.key) == (topic_in, grown, keys[grown])
    [(_, _, rejection)] = seen[big_names]
    assert len(rejection.detail) < DETAIL_CHARS + 100
    outputs = await read_committed(kafka_bootstrap, topic_out, 1)
    ids = [msgspec.json.decode(r.value)["id"] for r in outputs]
    assert ids[-20:] == [record_id(prefix, i) for i in range(first_good, len(values))]


async def test_execute_stage_dead_letters_results_too_large_and_goes_on(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "execute")
    nested = by_name("nested_5000").candidate
    assert nested is not None
    values = [
        with_id(nested, record_id(prefix, 0)),
        pads(record_id(prefix, 1), 600_000, 600_000),
        *[pads(record_id(prefix, i), 10, 20) for i in range(2, 12)],
    ]
    expected = [
        Expected("dead_letter", frozenset({reasons.UNDECODABLE})),
        Expected("dead_letter", frozenset({reasons.TOO_LARGE})),
        *[Expected("accepted")] * 10,
    ]
    await produce(kafka_bootstrap, topic_in, values)
    env = {**test_env(name, topic_in, topic_out), **POISON_LIBRARY}
    service = Service(kafka_bootstrap, "open_execute", env)
    try:
        seen = await settle(kafka_bootstrap, name, topic_out, prefix, len(values))
        alive = service.process.poll() is None
    finally:
        service.close()
    assert alive, service.stderr()
    assert_accounted(seen, expected)
    [(_, _, executed)] = seen[11]
    assert msgspec.json.decode(executed.value, type=Executed).outcomes[1].result == "x" * 20


async def test_sigterm_ends_a_stage_stuck_on_poison_and_a_restart_finishes_it(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, prefix, name = lane(make_topic, "format")
    # The corpus's pattern case, matched by Python's re in the stage's child (RE2 would answer
    # at once): a check that never ends by itself.
    pattern = by_name("catastrophic_pattern").candidate
    nested = by_name("nested_5000").candidate
    assert pattern is not None and nested is not None
    pattern = pattern.replace(b'"query": "Probe it."', f'"query": "{HOG}"'.encode(), 1)
    assert HOG.encode() in pattern
    # Batches of four: good ones; then a check that never ends by itself and a 5,000-deep
    # record among good ones; then another such check.
    kinds = ["good"] * 5 + ["pattern", "nested", "good", "pattern"] + ["good"] * 3
    source = {"pattern": pattern, "nested": nested}
    values = [
        good(record_id(prefix, i))
        if kind == "good"
        else with_id(source[kind], record_id(prefix, i))
        for i, kind in enumerate(kinds)
    ]
    await produce(kafka_bootstrap, topic_in, values)
    env = {
        **test_env(name, topic_in, topic_out),
        "APIGEN__KAFKA__BATCH_SIZE": "4",
        "APIGEN__FORMAT__TIMEOUT_S": "1.5",
        "APIGEN__KAFKA__DRAIN_TIMEOUT_S": "3",
    }
    service = Service(kafka_bootstrap, "open_format_re", env)
    try:
        with anyio.fail_after(WAIT_S):
            while not await outcomes(kafka_bootstrap, name, topic_out, prefix):  # noqa: ASYNC110
                await anyio.sleep(0.2)
        code, took = service.terminate()
    finally:
        service.close()
    assert code == 0
    assert took < SIGTERM_BOUND_S
    first = await outcomes(kafka_bootstrap, name, topic_out, prefix)
    assert len(first) > 0
    assert all(len(answers) == 1 for answers in first.values())
    # A restart picks up where the committed work ends and does not die on the same records.
    # It stops once idle for 5 s, after finishing what it holds (each check cut at 1.5 s).
    finish = {**env, "APIGEN__KAFKA__DRAIN_TIMEOUT_S": "60"}
    rest = Service(kafka_bootstrap, "open_format_re", finish, "--idle-timeout", "5")
    try:
        code = rest.process.wait(timeout=WAIT_S)
    finally:
        rest.close()
    assert code == 0
    seen = await settle(kafka_bootstrap, name, topic_out, prefix, len(values))
    want = {
        "good": Expected("accepted"),
        "pattern": Expected("rejected", frozenset({reasons.DEADLINE_EXCEEDED})),
        "nested": Expected("dead_letter", frozenset({reasons.UNDECODABLE})),
    }
    assert_accounted(seen, [want[kind] for kind in kinds])


class Counting(logging.Handler):
    """Counts the warning-and-worse lines that reach it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += 1


async def _readyz(http: aiohttp.ClientSession, address: str) -> int:
    async with http.get(f"{address}/readyz") as response:
        return response.status


async def _until_status(http: aiohttp.ClientSession, address: str, status: int) -> float:
    """Seconds until ``/readyz`` answers ``status``."""
    started = time.monotonic()
    with anyio.fail_after(WAIT_S):
        while await _readyz(http, address) != status:  # noqa: ASYNC110 (polling a server)
            await anyio.sleep(0.2)
    return time.monotonic() - started


async def test_readiness_follows_the_broker_and_its_errors_are_rate_limited(
    local_kafka: LocalKafka, make_topic: MakeTopic
) -> None:
    topic_in, topic_out, _, name = lane(make_topic, "relay")
    config = Config(
        kafka=KafkaConfig(bootstrap=local_kafka.bootstrap, session_timeout_ms=6000),
        serve=ServeConfig(port=0),
    )
    runner = StageRunner(Relay(name, topic_in, topic_out), config)
    everything, limited = Counting(), Counting()
    limited.addFilter(RateLimit())
    root = logging.getLogger()
    root.addHandler(everything)
    root.addHandler(limited)
    try:
        async with (
            serve_http(config.serve, lambda: runner.ready) as address,
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3.0)) as http,
            anyio.create_task_group() as tg,
        ):
            tg.start_soon(runner.run)
            await _until_status(http, address, 200)
            local_kafka.stop()
            went = await _until_status(http, address, 503)
            before = (everything.lines, limited.lines)
            await anyio.sleep(OUTAGE_S)
            lines = (everything.lines - before[0], limited.lines - before[1])
            local_kafka.restart()
            came = await _until_status(http, address, 200)
            runner.stop()
    finally:
        root.removeHandler(everything)
        root.removeHandler(limited)
        if local_kafka.pid is None:
            local_kafka.restart()
    assert went < 10.0 and came < 30.0
    # What would have been logged (about 70 lines a second), and what is: a few lines per
    # kind per 10 s.
    assert lines[1] <= 20 and lines[1] * 10 < lines[0], lines


def test_a_missing_topic_is_one_line_and_a_non_zero_exit(
    kafka_bootstrap: str, make_topic: MakeTopic
) -> None:
    topic_out = make(make_topic, "p.out", 1)
    missing = f"p.missing.{os.urandom(4).hex()}"
    command = [
        sys.executable, "-m", "apigen_stream.cli", "run", "--stage",
        "tests.support.test_stages:open_relay", "--bootstrap", kafka_bootstrap,
        "--metrics-port", "0",
    ]  # fmt: skip
    env = {**os.environ, **test_env(f"relay-{missing}", missing, topic_out),
           "APIGEN__KAFKA__CONNECT_TIMEOUT_S": "2"}  # fmt: skip
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=WAIT_S, check=False
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and missing in lines[0] and "topics apply" in lines[0], done.stderr
