"""What a stage is: a pure async handler from one input record to its verdicts.

A stage never touches Kafka. The engine (``apigen_stream.engine``) decodes input, calls
``handle``, and routes each verdict: ``Accept`` to the stage's output topic, ``Reject`` to
``apigen.rejected`` as a ``Rejection`` filed under this stage's name. The same stage object runs
over Kafka or over the in-memory bus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import msgspec

from apigen_stream.records import Subject

if TYPE_CHECKING:
    from apigen_stream.spec import StageSpec

In_contra = TypeVar("In_contra", bound=msgspec.Struct, contravariant=True)


@dataclass(frozen=True, slots=True)
class Accept:
    """The record passed: send it on. ``key`` overrides the default key (the sample id)."""

    record: msgspec.Struct
    key: bytes | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """The record failed a check: ``reason`` is one of the stage's codes in ``reasons.py``."""

    reason: str
    detail: str
    subject: Subject
    # LLM spend of this stage on the subject (role -> tokens, role -> requests): what a
    # rejected task or sample cost is counted too.
    tokens: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    cost: dict[str, float] = field(default_factory=dict)


Verdict = Accept | Reject


class StateStore(Protocol):
    """Key-value state of the input partition being handled, recoverable after a crash.

    Over Kafka it is backed by a compacted changelog topic written in the same transaction as the
    stage's outputs; in embedded mode it is a dict.
    """

    def get(self, key: bytes) -> bytes | None: ...

    def put(self, key: bytes, value: bytes) -> None: ...


class Stage(Protocol[In_contra]):
    """A stage of the pipeline: its declaration (``spec``) and its handler.

    ``name`` is its consumer group, metric label and reason scope; it, the topics, the input
    record type and the stores all come from ``spec``.
    """

    @property
    def spec(self) -> StageSpec: ...

    @property
    def name(self) -> str: ...

    @property
    def input_topic(self) -> str: ...

    @property
    def output_topic(self) -> str: ...

    @property
    def accepting(self) -> bool:
        """False while a client the stage needs is down: the engine pauses fetching."""
        ...

    async def handle(self, record: In_contra, state: StateStore) -> Sequence[Verdict]:
        """Judge one record. Slow work (LLM, execution) happens here, before any transaction."""
        ...

    async def handle_many(
        self, records: Sequence[In_contra], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        """Every record's verdicts in one go (``verify``'s batch path), or None: no such path."""
        ...


class Declared:
    """A stage's name and topics, read from its declaration.

    A stage class sets ``spec`` to its entry of ``spec.PIPELINE``; the registry sets the
    instance's own when a declaration places the stage elsewhere.
    """

    spec: StageSpec

    @property
    def name(self) -> str:
        """The stage's name: consumer group, metric label and reason scope."""
        return self.spec.name

    @property
    def input_topic(self) -> str:
        """The topic the stage reads."""
        return self.spec.input_topic

    @property
    def output_topic(self) -> str:
        """The topic the stage writes what it accepts to."""
        return self.spec.output_topic

    @property
    def accepting(self) -> bool:
        """Whether the stage can take records now; a stage with no client always can."""
        return True

    async def handle_many(
        self, records: Sequence[Any], state: StateStore
    ) -> list[Sequence[Verdict]] | None:
        """No batch path: records are handled one by one."""
        return None


@dataclass
class DictState:
    """A StateStore in a dict: embedded mode and tests."""

    data: dict[bytes, bytes]

    def get(self, key: bytes) -> bytes | None:
        return self.data.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        self.data[key] = value


__all__ = [
    "Accept",
    "Declared",
    "DictState",
    "Reject",
    "Stage",
    "StateStore",
    "Verdict",
]
