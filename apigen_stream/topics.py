"""Topic definitions, read from the packaged ``topics.toml``: the one place topic names come from.

The file ships inside the package (``apigen_stream/data/topics.toml``, read with
``importlib.resources``), so an installed wheel finds it; the repository's ``topics/topics.toml``
is a copy for readers, kept identical by a test. Nothing is read at import time: the constants
(``topics.TASKS`` ...) resolve on first use.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import msgspec

from apigen_stream.errors import ConfigError

# Constant name -> topic role, resolved lazily by ``__getattr__``.
ROLE_CONSTANTS = {
    "TASKS": "tasks",
    "CANDIDATES": "candidates",
    "FORMATTED": "formatted",
    "UNIQUE": "unique",
    "EXECUTED": "executed",
    "ACCEPTED": "accepted",
    "REJECTED": "rejected",
    "DLQ": "dlq",
}


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


def packaged_topics_file() -> Traversable:
    """The topic definitions shipped in the package."""
    return files("apigen_stream") / "data" / "topics.toml"


@cache
def topic_specs(path: Traversable | None = None) -> dict[str, TopicSpec]:
    """Every topic by role (``tasks``, ``candidates``, ...), from ``path`` or the packaged file."""
    path = path or packaged_topics_file()
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


TASKS: str
CANDIDATES: str
FORMATTED: str
UNIQUE: str
EXECUTED: str
ACCEPTED: str
REJECTED: str
DLQ: str


def __getattr__(name: str) -> str:
    """``topics.TASKS`` and the other constants: read the definitions on first use, not import."""
    if name in ROLE_CONSTANTS:
        return topic(ROLE_CONSTANTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
