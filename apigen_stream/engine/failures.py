"""Which failures of the broker are worth another try, and which are for good.

A broker that restarts, a leader that moves, a coordinator that loads: these pass, and the
engine retries them with backoff. A refusal does not pass by waiting: no authorisation, a
topic name the broker rejects, a protocol it does not speak. Those end the stage with one line.
aiokafka's own ``retriable`` flag cannot say it (a timeout is marked not retriable, a fence
too), so the permanent ones are named here; our own errors say it with ``retriable``.
"""

from __future__ import annotations

from aiokafka import errors as kafka_errors

from apigen_stream.errors import ApigenError

PERMANENT_KAFKA_ERRORS: tuple[type[BaseException], ...] = (
    kafka_errors.TopicAuthorizationFailedError,
    kafka_errors.GroupAuthorizationFailedError,
    kafka_errors.ClusterAuthorizationFailedError,
    kafka_errors.TransactionalIdAuthorizationFailed,
    kafka_errors.IllegalSaslStateError,
    kafka_errors.UnsupportedSaslMechanismError,
    kafka_errors.UnsupportedVersionError,
    kafka_errors.InvalidTopicError,
)


def is_permanent(exc: BaseException) -> bool:
    """Whether retrying what raised ``exc`` cannot help."""
    if isinstance(exc, ApigenError):
        return not exc.retriable
    return isinstance(exc, PERMANENT_KAFKA_ERRORS)


def first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error a task group failed with: its first ``ApigenError``, else the group itself.

    Tasks cancelled because a sibling failed add nothing; the caller reports one line.
    """
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            inner = first_error(exc)
            if inner is not exc:
                return inner
        elif isinstance(exc, ApigenError):
            return exc
    return group
