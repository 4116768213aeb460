"""Every Prometheus metric of apigen-stream, defined once so names and labels never drift.

Labels stay low-cardinality: stage, outcome, reason (from ``reasons.py``), role, model, api,
topic and partition. Never an id, never free text.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from prometheus_client import Counter, Gauge, Histogram

from apigen_stream import reasons

# LLM calls and queueing make minutes possible; fast stages need sub-millisecond resolution.
LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
)  # fmt: skip

RECORDS = Counter(
    "apigen_records",
    "Records that left a stage, by outcome (accepted, rejected, dead_letter) and reason code.",
    ["stage", "outcome", "reason"],
)
HANDLER_SECONDS = Histogram(
    "apigen_handler_seconds",
    "Time a stage's handler spent on one record.",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
END_TO_END_SECONDS = Histogram(
    "apigen_end_to_end_seconds",
    "Time from task creation to the record leaving this stage.",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
IN_FLIGHT = Gauge("apigen_in_flight", "Records fetched and not yet committed.", ["stage"])
CONSUMER_LAG = Gauge(
    "apigen_consumer_lag",
    "Records between the committed position and the end of the partition.",
    ["stage", "topic", "partition"],
)
TRANSACTIONS = Counter(
    "apigen_transactions", "Kafka transactions, by outcome (committed, aborted).",
    ["stage", "outcome"],
)  # fmt: skip
CHANGELOG_RESTORED = Counter(
    "apigen_changelog_restored_records",
    "Changelog records read to rebuild a stateful stage's stores.",
    ["stage"],
)
PAUSED = Gauge("apigen_paused", "1 while the stage has paused fetching (backpressure).", ["stage"])

LLM_REQUESTS = Counter(
    "apigen_llm_requests",
    "LLM requests by role (generator, judge), model and outcome (ok, retry, error).",
    ["role", "model", "outcome"],
)
LLM_TOKENS = Counter(
    "apigen_llm_tokens", "LLM tokens by role, model and kind (prompt, completion).",
    ["role", "model", "kind"],
)  # fmt: skip
LLM_RETRIES = Counter(
    "apigen_llm_retries",
    "LLM attempts that failed and were retried, by role, model and reason "
    "(timeout, connection, rate_limited, server_error).",
    ["role", "model", "reason"],
)
LLM_GIVE_UPS = Counter(
    "apigen_llm_give_ups",
    "LLM requests given up (an llm_error), by role, model and reason (deadline, retries, refused).",
    ["role", "model", "reason"],
)
LLM_TRUNCATED = Counter(
    "apigen_llm_truncated",
    "LLM answers cut at max_tokens (finish_reason length), by role and model.",
    ["role", "model"],
)
LLM_FORMAT_FALLBACKS = Counter(
    "apigen_llm_format_fallbacks",
    "Times a server refused a response format and the next one was used, by model and the "
    "format refused (json_schema, json_object_schema, json_object).",
    ["model", "refused"],
)
LLM_BREAKER = Counter(
    "apigen_llm_breaker_changes",
    "Circuit-breaker state changes of the LLM endpoint, by the state entered (open, closed).",
    ["state"],
)
LLM_BREAKER_OPEN = Gauge(
    "apigen_llm_breaker_open", "1 while the LLM endpoint's circuit breaker is open."
)
LLM_SECONDS = Histogram(
    "apigen_llm_seconds", "LLM request latency.", ["role", "model"], buckets=LATENCY_BUCKETS
)
EXECUTION_CALLS = Counter(
    "apigen_execution_calls", "Executed calls by API and outcome (ok or a reason code).",
    ["api", "outcome"],
)  # fmt: skip
EXECUTION_SECONDS = Histogram(
    "apigen_execution_seconds", "Wall time of one executed call.", ["kind"],
    buckets=LATENCY_BUCKETS,
)  # fmt: skip
SANDBOX_WORKERS_REPLACED = Counter(
    "apigen_sandbox_workers_replaced",
    "Sandbox worker processes replaced, by cause (timeout, crash, memory).",
    ["cause"],
)

# Causes of a sandbox worker's replacement, as the pool reports them.
REPLACEMENT_CAUSES = ("timeout", "crash", "memory")


def initialize(stage: str) -> None:
    """Create a stage's series at 0 before its first record.

    A series that first appears with a value above 0 loses that first increase to ``rate`` and
    ``increase``, so the rejection-rate rule would be off by it; and a rule over a series that
    does not exist yet has no data rather than 0.
    """
    RECORDS.labels(stage, "accepted", "")
    for reason in reasons.STAGE_REASONS.get(stage, ()):
        RECORDS.labels(stage, "rejected", reason)
    for reason in reasons.DLQ_REASONS:
        RECORDS.labels(stage, "dead_letter", reason)
    for outcome in ("committed", "aborted"):
        TRANSACTIONS.labels(stage, outcome)
    PAUSED.labels(stage).set(0)
    IN_FLIGHT.labels(stage).set(0)
    if stage == "execute":
        for cause in REPLACEMENT_CAUSES:
            SANDBOX_WORKERS_REPLACED.labels(cause=cause)


_Metric = TypeVar("_Metric", Counter, Gauge, Histogram)


@cache
def child(metric: _Metric, *labels: str) -> _Metric:
    """``metric.labels(*labels)``, looked up once: the labels take values from small fixed sets
    (stages, reason codes), and the lookup costs more than the count on the per-record path.
    Not for metrics whose series are removed (``CONSUMER_LAG``)."""
    return metric.labels(*labels)
