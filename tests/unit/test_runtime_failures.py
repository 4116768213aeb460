"""Broker failures that pass and failures for good; repeated log lines limited."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from aiokafka import errors as kafka_errors

from apigen_stream.engine.failures import first_error, is_permanent
from apigen_stream.engine.log_limit import RateLimit
from apigen_stream.errors import BrokerRefused, BrokerUnavailable


@pytest.mark.parametrize(
    "exc",
    [
        kafka_errors.TopicAuthorizationFailedError(),
        kafka_errors.GroupAuthorizationFailedError(),
        kafka_errors.TransactionalIdAuthorizationFailed(),
        kafka_errors.UnsupportedVersionError(),
        BrokerRefused("no such topic"),
    ],
)
def test_refusals_are_permanent(exc: BaseException) -> None:
    assert is_permanent(exc)


@pytest.mark.parametrize(
    "exc",
    [
        kafka_errors.KafkaConnectionError(),
        kafka_errors.KafkaTimeoutError(),  # aiokafka marks it not retriable; it passes
        kafka_errors.ProducerFenced(),
        kafka_errors.NotCoordinatorError(),
        kafka_errors.UnknownTopicOrPartitionError(),
        BrokerUnavailable("down"),
    ],
)
def test_what_passes_is_retried(exc: BaseException) -> None:
    assert not is_permanent(exc)


def test_the_first_error_of_a_task_group_is_reported_alone() -> None:
    refused = BrokerRefused("topic t.in: not authorised")
    group = BaseExceptionGroup("tasks", [BaseExceptionGroup("inner", [refused])])
    assert first_error(group) is refused
    plain = BaseExceptionGroup("tasks", [KeyError("x")])
    assert first_error(plain) is plain


def _record(message: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("aiokafka.conn", level, __file__, 1, message, None, None)


def test_a_flood_of_one_error_becomes_one_line_per_interval() -> None:
    now = [0.0]
    limit = RateLimit(interval_s=10.0, clock=lambda: now[0])
    passed = []
    # 70 lines a second for 30 seconds, as a stage logged while its broker was down.
    for step in range(30 * 70):
        now[0] = step / 70
        record = _record("Unable connect to node with id %s")
        if limit.filter(record):
            passed.append(record.getMessage())
    assert len(passed) == 3
    assert "more like this" in passed[1]
    assert limit.filter(_record("another error"))
    assert all(limit.filter(_record("info", logging.INFO)) for _ in range(5))


def test_sigterm_while_a_service_starts_is_a_clean_exit() -> None:
    # A replica asked to leave while it still imports or warms up has nothing to drain.
    script = (
        "import os, signal, time\n"
        "from apigen_stream.engine.signals import leave_on_sigterm_until_serving\n"
        "leave_on_sigterm_until_serving()\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "time.sleep(30)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert done.returncode == 0
