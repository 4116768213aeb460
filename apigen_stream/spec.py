"""The pipeline, declared once: its stages in order, what each reads, writes, keeps and rejects.

Everything that used to list the stages derives from ``PIPELINE``: the stage registry
(``stages.stage_factory``), the funnel's order, ``verify``'s stage set, ``run --stage``'s
service table, the consumer groups ``backlog`` reports on, the reason vocabulary and the
README's stage table (checked by a test). Adding a stage is one ``StageSpec`` here and its
module. Topics are named by role (``topics.toml``); a declaration may name topics of its own
(``topic_names``), which is how a test runs a pipeline with an extra stage.

No I/O and nothing read at import: topic names resolve on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import msgspec

from apigen_stream import topics
from apigen_stream.errors import ConfigError
from apigen_stream.records import Candidate, DedupEntry, Executed, Task


@dataclass(frozen=True)
class StoreSpec:
    """A named key-value store of a stateful stage, logged to its own compacted changelog.

    Retention keeps memory and restore time bounded: at most ``retain_keys`` keys (0: no
    bound) and none older than ``retain_s`` seconds (0: no bound); a key let go is tombstoned
    in the changelog. A stage sets them from its config (``[dedup] retain_keys``).
    """

    name: str
    record: type[msgspec.Struct]
    retain_keys: int = 0
    retain_s: float = 0.0


@dataclass(frozen=True)
class StageSpec:
    """One stage: its name (consumer group, metric label, reason scope) and its place."""

    name: str
    module: str
    input_role: str
    output_role: str
    input_record: type[msgspec.Struct]
    reasons: frozenset[str]
    stores: tuple[StoreSpec, ...] = ()
    # Whether ``verify`` can run it over a dataset (a stage that makes data cannot check it).
    verifiable: bool = False
    # Whether the Kafka runner hands it each fetched batch at once (``handle_many``, or
    # ``handle_many_encoded`` for a stage that takes the bytes too), not record by record: the
    # execute stage then runs a batch's calls in one sandbox round trip (a fork per worker, not
    # per few candidates), the format stage checks a batch in one call to its child.
    batched: bool = False
    # Role -> broker name for topics of this declaration's own (not in topics.toml).
    topic_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def input_topic(self) -> str:
        """The broker name of the topic the stage reads."""
        return self.topic_names.get(self.input_role) or topics.topic(self.input_role)

    @property
    def output_topic(self) -> str:
        """The broker name of the topic the stage writes what it accepts to."""
        return self.topic_names.get(self.output_role) or topics.topic(self.output_role)

    @property
    def stateful(self) -> bool:
        """Whether the stage keeps state that must survive restarts (it declares stores)."""
        return bool(self.stores)

    def changelog_topic(self, store: StoreSpec) -> str:
        """The compacted topic that logs ``store``: named from the stage and the store."""
        return changelog_topic(self.name, store.name)


def on_topics(
    name: str,
    input_topic: str,
    output_topic: str,
    input_record: type[msgspec.Struct],
    *,
    stores: tuple[StoreSpec, ...] = (),
    reasons: frozenset[str] = frozenset(),
    batched: bool = False,
) -> StageSpec:
    """A stage declared on topics of its own, outside ``topics.toml`` (tests, one-off runs)."""
    return StageSpec(
        name=name,
        module="",
        input_role="input",
        output_role="output",
        input_record=input_record,
        reasons=reasons,
        stores=stores,
        topic_names={"input": input_topic, "output": output_topic},
        batched=batched,
    )


def changelog_topic(stage: str, store: str) -> str:
    """``apigen.<stage>-<store>-changelog``: one per store, so two stores never share one."""
    return f"apigen.{stage}-{store}-changelog"


@dataclass(frozen=True)
class ServiceSpec:
    """A process of the pipeline that is not a stage: a source or a sink of records."""

    name: str
    module: str
    reads: str  # topic role, or "" for a source
    writes: str  # topic role, or "" for files


@dataclass(frozen=True)
class PipelineSpec:
    """Stages in pipeline order (each reads what the one before writes) and the services."""

    stages: tuple[StageSpec, ...]
    services: tuple[ServiceSpec, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Stage names in pipeline order."""
        return tuple(s.name for s in self.stages)

    def stage(self, name: str) -> StageSpec:
        """The stage called ``name``; an unknown name is a configuration error."""
        for spec in self.stages:
            if spec.name == name:
                return spec
        raise ConfigError(f"unknown stage {name!r}; the stages are: {', '.join(self.names)}")

    @property
    def processes(self) -> tuple[str, ...]:
        """Every process of the pipeline in the order records flow: sources, stages, sinks."""
        sources = tuple(s.name for s in self.services if not s.reads)
        sinks = tuple(s.name for s in self.services if s.reads)
        return (*sources, *self.names, *sinks)

    def groups(self) -> dict[str, str]:
        """Each consumer group (a stage's or a sink's name) and the topic it reads."""
        groups = {s.name: s.input_topic for s in self.stages}
        groups.update({s.name: topics.topic(s.reads) for s in self.services if s.reads})
        return groups

    def reasons(self) -> dict[str, frozenset[str]]:
        """Every stage's reason codes, by stage name."""
        return {s.name: s.reasons for s in self.stages}

    def producer(self, name: str) -> StageSpec | None:
        """The stage that writes the topic ``name`` reads, if a stage does."""
        wanted = self.stage(name).input_role
        return next((s for s in self.stages if s.output_role == wanted), None)

    def needs(self, name: str, given: type[msgspec.Struct]) -> str | None:
        """The stage ``name`` cannot run on ``given`` records without: the one before it.

        A stage that reads ``given`` records runs on them as they are; one that reads what
        another stage makes of them (semantic reads ``Executed``) needs that stage first.
        """
        if self.stage(name).input_record is given:
            return None
        producer = self.producer(name)
        return producer.name if producer is not None else None

    def check(self) -> None:
        """Fail unless each stage reads what the one before it writes."""
        for before, after in zip(self.stages, self.stages[1:], strict=False):
            if before.output_role != after.input_role:
                raise ConfigError(
                    f"stage {after.name} reads {after.input_role!r}, but {before.name} before"
                    f" it writes {before.output_role!r}"
                )


_LLM_ERROR = "llm_error"

GENERATE = StageSpec(
    name="generate",
    module="apigen_stream.stages.generate",
    input_role="tasks",
    output_role="candidates",
    input_record=Task,
    reasons=frozenset({_LLM_ERROR, "no_pairs"}),
)
FORMAT = StageSpec(
    name="format",
    module="apigen_stream.stages.format",
    input_role="candidates",
    output_role="formatted",
    input_record=Candidate,
    reasons=frozenset(
        {
            "invalid_json",
            "missing_field",
            "truncated",
            "unknown_function",
            "unknown_argument",
            "missing_required",
            "wrong_type",
            "enum_violation",
            "out_of_range",
            "unsupported_pattern",
            "non_finite_number",
            "unexpected_call",
            "no_call",
        }
    ),
    verifiable=True,
    batched=True,
)
# Seen content hashes; the dedup stage sets the retention from ``[dedup]`` of its config.
DEDUP_SEEN = StoreSpec(name="seen", record=DedupEntry)
DEDUP = StageSpec(
    name="dedup",
    module="apigen_stream.stages.dedup",
    input_role="formatted",
    output_role="unique",
    input_record=Candidate,
    reasons=frozenset({"duplicate"}),
    stores=(DEDUP_SEEN,),
    verifiable=True,
)
EXECUTE = StageSpec(
    name="execute",
    module="apigen_stream.stages.execute",
    input_role="unique",
    output_role="executed",
    input_record=Candidate,
    reasons=frozenset(
        {
            "timeout",
            "exception",
            "http_error",
            "error_result",
            "memory_limit",
            "result_too_large",
            "not_executable",
            "sandbox_violation",
            "invalid_arguments",
        }
    ),
    verifiable=True,
    batched=True,
)
SEMANTIC = StageSpec(
    name="semantic",
    module="apigen_stream.stages.semantic",
    input_role="executed",
    output_role="accepted",
    input_record=Executed,
    reasons=frozenset(
        {
            "call_count_mismatch",
            "empty_result",
            # Query <-> call alignment (stages/alignment.py).
            "value_not_in_query",
            "query_value_unused",
            "text_altered",
            "option_without_choice",
            "duplicate_call",
            "constraint_violation",
            "degenerate_result",
            "result_out_of_scale",
            "failed_execution",
            "judge_fail",
            "judge_unparseable",
            _LLM_ERROR,
        }
    ),
    verifiable=True,
)

PIPELINE = PipelineSpec(
    stages=(GENERATE, FORMAT, DEDUP, EXECUTE, SEMANTIC),
    services=(
        ServiceSpec("sampler", "apigen_stream.services.sampler", reads="", writes="tasks"),
        ServiceSpec("sink", "apigen_stream.services.sink", reads="accepted", writes=""),
    ),
)
