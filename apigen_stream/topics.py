"""Topic definitions, read from ``topics/topics.toml``: the one place topic names come from."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import msgspec

from apigen_stream.errors import ConfigError

TOPICS_FILE = Path(__file__).resolve().parent.parent / "topics" / "topics.toml"


class TopicSpec(msgspec.Struct, frozen=True, kw_only=True):
    """One topic as it should be on the broker."""

    role: str
    name: str
    partitions: int
    replication_factor: int
    retention_ms: int
    cleanup_policy: str
    key: str
    record: str

    def configs(self) -> dict[str, str]:
        """Topic-level broker configs that apply checks and creates."""
        return {"cleanup.policy": self.cleanup_policy, "retention.ms": str(self.retention_ms)}


@cache
def topic_specs(path: Path = TOPICS_FILE) -> dict[str, TopicSpec]:
    """Every topic by role (``tasks``, ``candidates``, ...)."""
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read topic definitions {path.name}: {exc}") from None
    defaults = raw.get("defaults", {})
    return {
        role: msgspec.convert({**defaults, **spec, "role": role}, TopicSpec)
        for role, spec in raw.get("topics", {}).items()
    }


def topic(role: str) -> str:
    """The broker name of the topic with this role."""
    return topic_specs()[role].name


TASKS = topic("tasks")
CANDIDATES = topic("candidates")
FORMATTED = topic("formatted")
UNIQUE = topic("unique")
EXECUTED = topic("executed")
ACCEPTED = topic("accepted")
REJECTED = topic("rejected")
DLQ = topic("dlq")
DEDUP_CHANGELOG = topic("dedup_changelog")
