"""The bound on a stage's outputs: the request size or a written topic's smaller limit."""

from __future__ import annotations

import pytest

from apigen_stream.engine.sizing import (
    BATCH_BYTES,
    MIN_OUTPUT_BYTES,
    batch_bytes,
    output_bytes,
)
from apigen_stream.errors import ConfigError

REQUEST = 1_048_576


def test_topics_that_allow_more_than_a_request_leave_the_request_size() -> None:
    assert output_bytes(REQUEST, {"out": 1_048_588, "apigen.dlq": 5_000_000}) == REQUEST
    assert output_bytes(REQUEST, {}) == REQUEST


def test_the_smallest_topic_limit_bounds_every_output() -> None:
    limits = {"out": 200_000, "apigen.rejected": 50_000, "apigen.dlq": 1_048_588}
    assert output_bytes(REQUEST, limits) == 50_000


def test_a_limit_too_small_for_a_dead_letter_names_its_topic() -> None:
    limits = {"out": 1_000, "apigen.dlq": 2_000}
    with pytest.raises(ConfigError, match=r"topic out accepts messages of at most 1000 bytes"):
        output_bytes(REQUEST, limits)
    assert output_bytes(REQUEST, {"out": MIN_OUTPUT_BYTES}) == MIN_OUTPUT_BYTES


def test_a_batch_of_several_records_never_outgrows_the_bound() -> None:
    assert batch_bytes(REQUEST) == BATCH_BYTES
    assert batch_bytes(MIN_OUTPUT_BYTES) == MIN_OUTPUT_BYTES
