"""Kafka administration: is the broker there, and are the topics as ``topics/`` declares them.

``apply_topics`` creates what is missing and reports what differs; it never deletes or alters
an existing topic (changing partitions re-keys data, changing retention may drop it: that is a
decision for a person, made with the report in hand). Comparing is pure (``compare_topic``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar

import msgspec
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, for_code

from apigen_stream.errors import ApigenError, BrokerUnavailable
from apigen_stream.topics import TopicSpec

log = logging.getLogger(__name__)

# One attempt may not take longer than this, so that the caller's deadline is kept even when a
# connection hangs half-open; retries between attempts are this far apart at most.
ATTEMPT_TIMEOUT_S = 5.0
POLL_INTERVAL_S = 0.2
# A connect plus one metadata round trip on loopback fits well within this.
MIN_ATTEMPT_S = 0.5
# Error code of CreateTopics when another client created the topic first: not a failure.
TOPIC_ALREADY_EXISTS = 36
# The topic setting that bounds one record batch the broker accepts for the topic.
MAX_MESSAGE_BYTES = "max.message.bytes"


_polling: ContextVar[bool] = ContextVar("apigen_admin_polling", default=False)


class _QuietWhilePolling(logging.Filter):
    """Drops aiokafka's per-attempt connection errors while we poll a broker that may be down.

    aiokafka logs every failed bootstrap attempt at ERROR; a poll makes dozens, and the caller
    turns the final failure into one clear ``BrokerUnavailable`` line instead.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_polling.get() and record.getMessage().startswith("Unable connect"))


# aiokafka's client module logs to the package logger, "aiokafka". The filter is installed
# while some poll runs and removed after the last one: importing this module changes no logging.
_QUIET = _QuietWhilePolling()
_polls_running = 0


@contextmanager
def _quiet_while_polling() -> Iterator[None]:
    global _polls_running  # noqa: PLW0603 - one count for the process's one aiokafka logger
    logger = logging.getLogger("aiokafka")
    token = _polling.set(True)
    _polls_running += 1
    logger.addFilter(_QUIET)
    try:
        yield
    finally:
        _polls_running -= 1
        if _polls_running == 0:
            logger.removeFilter(_QUIET)
        _polling.reset(token)


class ObservedTopic(msgspec.Struct, frozen=True, kw_only=True):
    """A topic as the broker describes it."""

    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str]


class Difference(msgspec.Struct, frozen=True, kw_only=True):
    """One setting of an existing topic that is not what ``topics/`` declares."""

    topic: str
    setting: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.topic}: {self.setting} is {self.actual}, topics.toml says {self.expected}"


class ApplyReport(msgspec.Struct, frozen=True, kw_only=True):
    """What ``apply_topics`` did and found."""

    created: list[str]
    unchanged: list[str]
    differences: list[Difference]

    @property
    def nothing_to_do(self) -> bool:
        """True when every topic already existed exactly as declared."""
        return not self.created and not self.differences

    def lines(self) -> list[str]:
        """Human-readable report, one line per created topic or difference."""
        out = [f"created {name}" for name in self.created]
        out += [f"differs {diff}" for diff in self.differences]
        if self.nothing_to_do:
            out.append(f"nothing to do: {len(self.unchanged)} topics as declared")
        return out


def compare_topic(spec: TopicSpec, observed: ObservedTopic) -> list[Difference]:
    """The differences between a declared topic and the broker's (never replication upward)."""
    pairs = [
        ("partitions", str(spec.partitions), str(observed.partitions)),
        ("replication_factor", str(spec.replication_factor), str(observed.replication_factor)),
    ]
    pairs += [(key, value, observed.configs.get(key, "?")) for key, value in spec.configs().items()]
    return [
        Difference(topic=spec.name, setting=setting, expected=expected, actual=actual)
        for setting, expected, actual in pairs
        if expected != actual
    ]


@asynccontextmanager
async def admin_client(bootstrap: str, timeout_s: float) -> AsyncIterator[AIOKafkaAdminClient]:
    """A started admin client, or ``BrokerUnavailable`` once ``timeout_s`` has passed."""
    with _quiet_while_polling():
        client = await _connect(bootstrap, timeout_s)
    try:
        yield client
    finally:
        await client.close()


async def _connect(bootstrap: str, timeout_s: float) -> AIOKafkaAdminClient:
    deadline = time.monotonic() + timeout_s
    while True:
        client = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="apigen-admin",
            request_timeout_ms=int(ATTEMPT_TIMEOUT_S * 1000),
        )
        try:
            attempt_s = max(min(ATTEMPT_TIMEOUT_S, deadline - time.monotonic()), MIN_ATTEMPT_S)
            await asyncio.wait_for(client.start(), attempt_s)
        except (KafkaError, OSError, TimeoutError) as exc:
            await client.close()
            if time.monotonic() + POLL_INTERVAL_S >= deadline:
                raise BrokerUnavailable(
                    f"cannot reach Kafka at {bootstrap} within {timeout_s:g}s"
                ) from exc
            await asyncio.sleep(POLL_INTERVAL_S)  # the interval between polls, not a wait
        else:
            return client


async def check_broker(bootstrap: str, timeout_s: float) -> None:
    """Return once the broker at ``bootstrap`` answers metadata requests.

    Raises ``BrokerUnavailable("cannot reach Kafka at B within Ns")`` otherwise.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        remaining = max(deadline - time.monotonic(), POLL_INTERVAL_S)
        async with admin_client(bootstrap, remaining) as client:
            try:
                await asyncio.wait_for(client.describe_cluster(), ATTEMPT_TIMEOUT_S)
                return
            except (KafkaError, OSError, TimeoutError) as exc:
                if time.monotonic() + POLL_INTERVAL_S >= deadline:
                    raise BrokerUnavailable(
                        f"cannot reach Kafka at {bootstrap} within {timeout_s:g}s"
                    ) from exc
        await asyncio.sleep(POLL_INTERVAL_S)


async def describe_topics(
    client: AIOKafkaAdminClient, names: Iterable[str]
) -> dict[str, ObservedTopic]:
    """The named topics that exist, with partitions, replication and their configs."""
    wanted = list(names)
    existing = set(await client.list_topics())
    present = [name for name in wanted if name in existing]
    if not present:
        return {}
    metadata = await client.describe_topics(present)
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in present]
    configs = _config_values(await client.describe_configs(resources))
    observed = {}
    for topic in metadata:
        partitions = topic["partitions"]
        observed[topic["topic"]] = ObservedTopic(
            name=topic["topic"],
            partitions=len(partitions),
            replication_factor=len(partitions[0]["replicas"]) if partitions else 0,
            configs=configs.get(topic["topic"], {}),
        )
    return observed


def _config_values(responses: Iterable[object]) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.resources:  # type: ignore[attr-defined]
            error_code, _message, _type, name, entries = resource[:5]
            _raise_for(error_code, f"describe configs of {name}")
            values[name] = {entry[0]: str(entry[1]) for entry in entries}
    return values


def _raise_for(error_code: int, doing: str) -> None:
    if error_code not in (0, TOPIC_ALREADY_EXISTS):
        raise ApigenError(f"cannot {doing}: {for_code(error_code).__name__}")


async def create_topics(client: AIOKafkaAdminClient, specs: Iterable[TopicSpec]) -> None:
    """Create the topics; one that another client created meanwhile counts as created."""
    new = [
        NewTopic(
            name=spec.name,
            num_partitions=spec.partitions,
            replication_factor=spec.replication_factor,
            topic_configs=spec.configs(),
        )
        for spec in specs
    ]
    if not new:
        return
    response = await client.create_topics(new)
    for name, error_code, *_rest in response.topic_errors:
        _raise_for(error_code, f"create topic {name}")
    await wait_visible(client, [topic.name for topic in new])


async def wait_visible(
    client: AIOKafkaAdminClient, names: Iterable[str], timeout_s: float = 15.0
) -> None:
    """Return once the broker's metadata lists the topics with a leader for every partition.

    CreateTopics answers when the controller has committed the topic; the broker's metadata
    cache follows a moment later, and producers or a re-run of ``apply`` must not see the gap.
    """
    wanted = set(names)
    deadline = time.monotonic() + timeout_s
    while True:
        metadata = await client.describe_topics(sorted(wanted))
        ready = {
            topic["topic"]
            for topic in metadata
            if topic["error_code"] == 0
            and topic["partitions"]
            and all(p["leader"] >= 0 for p in topic["partitions"])
        }
        if ready >= wanted:
            return
        if time.monotonic() >= deadline:
            raise BrokerUnavailable(f"topics not ready within {timeout_s:g}s: {wanted - ready}")
        await asyncio.sleep(POLL_INTERVAL_S / 4)  # the interval between polls, not a wait


async def apply_topics(
    bootstrap: str, specs: Mapping[str, TopicSpec] | Iterable[TopicSpec], timeout_s: float = 15.0
) -> ApplyReport:
    """Create missing topics, report existing ones that differ; safe to run any number of times."""
    wanted = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    async with admin_client(bootstrap, timeout_s) as client:
        try:
            observed = await describe_topics(client, (spec.name for spec in wanted))
            missing = [spec for spec in wanted if spec.name not in observed]
            await create_topics(client, missing)
        except KafkaError as exc:
            raise BrokerUnavailable(f"Kafka at {bootstrap} failed a request: {exc}") from exc
    differences = [
        diff
        for spec in wanted
        if spec.name in observed
        for diff in compare_topic(spec, observed[spec.name])
    ]
    differing = {diff.topic for diff in differences}
    return ApplyReport(
        created=[spec.name for spec in missing],
        unchanged=[s.name for s in wanted if s.name in observed and s.name not in differing],
        differences=differences,
    )


async def message_limits(
    bootstrap: str, names: Iterable[str], timeout_s: float = 15.0
) -> dict[str, int]:
    """Each named topic's ``max.message.bytes`` as the broker applies it: the topic's own
    setting, else the broker's default (DescribeConfigs reports the value in force)."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    async with admin_client(bootstrap, timeout_s) as client:
        try:
            configs = _config_values(await client.describe_configs(resources))
        except KafkaError as exc:
            raise BrokerUnavailable(f"Kafka at {bootstrap} failed a request: {exc}") from exc
    return {
        name: int(values[MAX_MESSAGE_BYTES])
        for name, values in configs.items()
        if MAX_MESSAGE_BYTES in values
    }


async def list_topic_names(bootstrap: str, timeout_s: float = 15.0) -> list[str]:
    """Every topic on the broker, internal ones (``__consumer_offsets``...) left out."""
    async with admin_client(bootstrap, timeout_s) as client:
        names: list[str] = await client.list_topics()
    return sorted(name for name in names if not name.startswith("__"))


async def create_topic(
    bootstrap: str,
    name: str,
    partitions: int = 1,
    configs: Mapping[str, str] | None = None,
    timeout_s: float = 15.0,
) -> None:
    """Create one topic outside ``topics/`` (tests, benchmarks); an existing one is kept."""
    new = NewTopic(
        name=name,
        num_partitions=partitions,
        replication_factor=1,  # local and test brokers have one node
        topic_configs=dict(configs or {}),
    )
    async with admin_client(bootstrap, timeout_s) as client:
        response = await client.create_topics([new])
        for topic, error_code, *_rest in response.topic_errors:
            _raise_for(error_code, f"create topic {topic}")
        await wait_visible(client, [name], timeout_s)
