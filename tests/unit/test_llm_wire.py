"""What a failed connection to a model server is taken to mean, from its chain of causes."""

from __future__ import annotations

import errno

from apigen_stream.llm.wire import ConnectionProblem, connection_problem


class ClientError(Exception):
    """Stands for the client library's connection error, which wraps the transport's."""


class NoRoute(Exception):
    pass


def failed_with(cause: BaseException) -> ClientError:
    error = ClientError("Connection error.")
    error.__cause__ = cause
    return error


def test_a_refused_connection_is_refused_whatever_the_text_around_it() -> None:
    problem = connection_problem(failed_with(OSError(errno.ECONNREFUSED, "unreachable: x")))
    assert problem == ConnectionProblem("refused")
    assert str(problem) == "refused"


def test_an_unreachable_server_has_the_innermost_error_as_its_detail_not_in_its_kind() -> None:
    problem = connection_problem(failed_with(NoRoute("refused: text that is not a code")))
    assert problem == ConnectionProblem("unreachable", "NoRoute")
    assert str(problem) == "unreachable: NoRoute"
