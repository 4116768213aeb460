"""What goes over the wire to an OpenAI-compatible server, what its errors mean, and the
client's small helpers (model choice, cost, rate-limited warnings).

Response formats, strongest first: ``json_schema`` (OpenAI structured outputs, vLLM,
llama.cpp's own server), ``json_object_schema`` (JSON mode with the schema beside it, the
dialect of llama-cpp-python and Anyscale), ``json_object`` (JSON mode) and ``text``. A server
that refuses one is asked with the next, and that is remembered per model.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import openai

from apigen_stream.config import ModelConfig
from apigen_stream.errors import LLMError

log = logging.getLogger("apigen_stream.llm.client")

# At most one log line per kind of trouble per this many seconds; the rest are summed into it.
LOG_INTERVAL_S = 10.0

Format = Literal["json_schema", "json_object_schema", "json_object", "text"]
FORMATS: tuple[Format, ...] = ("json_schema", "json_object_schema", "json_object", "text")


def effective(fmt: Format, has_schema: bool) -> Format:
    """The format a request really uses: without a schema, schema formats are JSON mode."""
    if not has_schema and fmt in ("json_schema", "json_object_schema"):
        return "json_object"
    return fmt


def response_format(fmt: Format, schema: dict[str, Any] | None, name: str) -> dict[str, Any]:
    """The ``response_format`` body field for ``fmt`` ({} for text)."""
    fmt = effective(fmt, schema is not None)
    if fmt == "json_schema" and schema is not None:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    if fmt == "json_object_schema" and schema is not None:
        return {"type": "json_object", "schema": schema}
    if fmt == "text":
        return {}
    return {"type": "json_object"}


def next_format(fmt: Format) -> Format | None:
    """The format asked for after ``fmt`` was refused, or None after plain text."""
    index = FORMATS.index(fmt)
    return FORMATS[index + 1] if index + 1 < len(FORMATS) else None


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
    return rng.uniform(0.0, min(cap, base * 2**attempt))


class Retry(Exception):
    """An attempt failed in a way worth retrying; ``reason`` is a metric label."""

    def __init__(self, reason: str, detail: str, after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.after = after


class FormatRefused(Exception):
    """The server refused ``response_format``: ask again with the next format."""

    def __init__(self, refused: Format = "json_schema") -> None:
        super().__init__(refused)
        self.refused: Format = refused


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare from LLM servers, and backoff is a fine substitute


def _refuses_format(exc: openai.APIStatusError) -> bool:
    """A 400/422, or a 500 whose text says so (llama-cpp-python), naming ``response_format``."""
    text = str(exc.body or exc.message)
    if exc.status_code in (400, 422):
        return "response_format" in text
    # llama-cpp-python answers a request validation error with a 500 naming the field.
    return exc.status_code == 500 and "response_format" in text and "validation" in text


def classify(exc: openai.OpenAIError) -> Exception:
    """What an OpenAI error means for the retry loop: ``Retry``, ``FormatRefused`` or final."""
    if isinstance(exc, openai.APITimeoutError):
        return Retry("timeout", "timeout")
    if isinstance(exc, openai.APIConnectionError):
        return Retry("connection", f"connection error: {connection_problem(exc)}")
    if isinstance(exc, openai.RateLimitError):
        return Retry("rate_limited", "429 rate limited", after=_retry_after(exc))
    if isinstance(exc, openai.APIStatusError):
        if _refuses_format(exc):
            return FormatRefused()
        if exc.status_code >= 500:
            return Retry("server_error", f"{exc.status_code} server error")
        return LLMError(f"{exc.status_code} {exc.message}"[:300])
    return LLMError(f"{type(exc).__name__}: {exc}"[:300])


@dataclass(frozen=True, slots=True)
class ConnectionProblem:
    """Why a connection failed: ``refused`` (nothing listens) or ``unreachable`` (no route,
    no name), with the innermost error's type as the detail of the latter."""

    kind: Literal["refused", "unreachable"]
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


def connection_problem(exc: BaseException) -> ConnectionProblem:
    """What the chain of causes under ``exc`` says about the connection."""
    cause: BaseException | None = exc
    last: BaseException = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
            return ConnectionProblem("refused")
        if "connection refused" in str(cause).lower() or "connect call failed" in str(cause):
            return ConnectionProblem("refused")
        last, cause = cause, cause.__cause__ or cause.__context__
    return ConnectionProblem("unreachable", type(last).__name__)


def _connect_timed_out(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__name__ == "ConnectTimeout":  # httpx's, under the OpenAI error
            return True
        cause = cause.__cause__ or cause.__context__
    return False


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The start-up check's finding: ``ok``, ``busy`` (answered too slowly) or a failure."""

    status: Literal["ok", "busy", "refused", "unreachable", "key_refused"]
    detail: str = ""


def check_finding(exc: BaseException | None) -> CheckResult:
    """What the start-up check's outcome means; a 404 (no /models route) still counts as up."""
    if exc is None:
        return CheckResult("ok")
    if _connect_timed_out(exc):
        return CheckResult("unreachable", "is unreachable (no answer to the connection)")
    if isinstance(exc, TimeoutError | openai.APITimeoutError):
        return CheckResult("busy", "connected, but no answer within the check's time")
    if isinstance(exc, openai.AuthenticationError):
        return CheckResult("key_refused", "refused the API key")
    if isinstance(exc, openai.APIConnectionError):
        problem = connection_problem(exc)
        if problem.kind == "refused":
            return CheckResult("refused", "refused the connection (is the server running?)")
        return CheckResult("unreachable", f"is unreachable ({problem.detail})")
    if isinstance(exc, openai.APIStatusError):
        return CheckResult("ok", f"answered {exc.status_code}")
    return CheckResult("unreachable", f"is unreachable ({type(exc).__name__})")


def cost_of(model: ModelConfig, prompt_tokens: int, completion_tokens: int) -> float:
    """What the tokens cost at the model's prices (per million tokens)."""
    return (prompt_tokens * model.price_prompt + completion_tokens * model.price_completion) / 1e6


def pick_weighted(models: Sequence[ModelConfig], key: str) -> ModelConfig:
    """A model chosen by weight, the same for the same ``key`` (replays pick the same model)."""
    digest = hashlib.sha256(key.encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(m.weight for m in models)
    for model in models:
        point -= model.weight
        if point < 0:
            return model
    return models[-1]


class RateLimitedLog:
    """Warnings of one kind at most once per interval; the lines held back are counted in."""

    def __init__(self, interval_s: float = LOG_INTERVAL_S) -> None:
        self._interval = interval_s
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> None:
        """Log ``message`` now, or count it towards the next line of this ``kind``."""
        now = time.monotonic()
        if now - self._last.get(kind, -self._interval) < self._interval:
            self._held[kind] = self._held.get(kind, 0) + 1
            return
        held = self._held.pop(kind, 0)
        self._last[kind] = now
        suffix = f" (and {held} more like it since the last line)" if held else ""
        log.warning(message + suffix, *args)
