"""The LLM client: one ``openai.AsyncOpenAI`` against any OpenAI-compatible endpoint.

Every request is bounded: ``max_tokens`` per role and model, a timeout per attempt, and a
deadline for the whole request that retries never pass. The OpenAI client's own retries are
off (``max_retries=0``): this module retries 429s (honouring a small ``Retry-After``), 5xx,
timeouts and connection errors with exponential backoff and full jitter, logs each retry and
give-up (rate-limited) and counts them by reason, then raises ``LLMError`` carrying what the
request spent. A circuit breaker per endpoint (``breaker.py``) parks requests while most recent
ones fail, so an outage delays work instead of failing it; time parked does not count against
the deadline. A ``CapacityLimiter`` caps requests in flight per role, and a slot is not held
while backing off. Response formats are tried strongest first (``wire.py``); a model whose
server refuses one is remembered and asked with the next. The API key is never logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import anyio
import msgspec
import openai

from apigen_stream import metrics
from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.errors import LLMError, LLMUnavailable
from apigen_stream.llm.breaker import Breaker, BreakerState
from apigen_stream.llm.prompts import Message
from apigen_stream.llm.wire import (
    FORMATS,
    Format,
    FormatRefused,
    RateLimitedLog,
    Retry,
    backoff_delay,
    check_finding,
    classify,
    cost_of,
    effective,
    next_format,
    pick_weighted,
    response_format,
)

__all__ = ["Completion", "LLMClient", "Role", "backoff_delay", "cost_of", "pick_weighted"]

log = logging.getLogger(__name__)

Role = Literal["generator", "judge"]

# Used when the configuration names no model: a small, cheap OpenAI model.
DEFAULT_MODEL = "gpt-4o-mini"

# Local servers (vLLM, Ollama) accept any key; the OpenAI client insists on one.
PLACEHOLDER_KEY = "none"

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Completion:
    """One answer: its text, the model, why it ended, and what the request spent in all.

    Tokens and ``requests`` sum every attempt of the request: a timed-out attempt counts as a
    request with no tokens (the server never said what it spent).
    """

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str = "stop"
    requests: int = 1
    cost: float = 0.0

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens

    @property
    def truncated(self) -> bool:
        """Whether the answer was cut at ``max_tokens``."""
        return self.finish_reason == "length"


class _Usage(msgspec.Struct):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Message(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    message: _Message = msgspec.field(default_factory=_Message)
    finish_reason: str | None = None


class _Reply(msgspec.Struct):
    """The fields of a chat completion this client reads; any others are ignored."""

    choices: list[_Choice] = []
    usage: _Usage | None = None


@dataclass
class Spent:
    """What one request spent so far, over its attempts."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Request:
    """One request as asked: role, model, messages, its bound and the schema it should fit."""

    role: Role
    model: ModelConfig
    messages: list[dict[str, str]]
    max_tokens: int
    schema: dict[str, Any] | None
    schema_name: str


class LLMClient:
    """Chat completions for the generator and the judge roles, bounded, retried and capped."""

    def __init__(
        self,
        settings: LLMConfig,
        *,
        sleep: Sleep = anyio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._client = openai.AsyncOpenAI(
            base_url=settings.base_url or None,
            api_key=settings.api_key or PLACEHOLDER_KEY,
            max_retries=0,
            timeout=settings.timeout_s,
        )
        judges = settings.judge_concurrency or settings.concurrency
        self._limiters = {
            "generator": anyio.CapacityLimiter(max(1, settings.concurrency)),
            "judge": anyio.CapacityLimiter(max(1, judges)),
        }
        self.where = settings.base_url or "the OpenAI API"
        state = BreakerState(settings.breaker_window, 5, settings.breaker_failure_ratio)
        self.breaker = Breaker(self.where, state)
        self._probing = False
        self._formats: dict[str, Format] = {}
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._log = RateLimitedLog()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connections; safe to call twice."""
        await self._client.close()

    def concurrency(self, role: Role) -> int:
        """Requests of ``role`` this client has in flight at most."""
        return int(self._limiters[role].total_tokens)

    def models(self, role: Role) -> list[ModelConfig]:
        """The models of a role; judges default to the generators, both to ``DEFAULT_MODEL``."""
        chosen = self._settings.judges if role == "judge" else []
        return chosen or self._settings.generators or [ModelConfig(name=DEFAULT_MODEL)]

    def choose_model(self, role: Role, key: str) -> ModelConfig:
        """The model that will answer the request filed under ``key``."""
        return pick_weighted(self.models(role), key)

    def max_tokens(self, role: Role, model: ModelConfig, pairs: int = 1) -> int:
        """Completion tokens a request may use: the model's own bound, else the role's."""
        if model.max_tokens:
            return model.max_tokens
        s = self._settings
        if role == "judge":
            return s.judge_max_tokens
        return s.generator_max_tokens_base + s.generator_max_tokens_per_pair * max(1, pairs)

    async def check_endpoint(self) -> None:
        """At start-up: one line and ``LLMUnavailable`` when the endpoint is down or refuses us.

        A server that accepts the connection but is slow to answer is busy, not unreachable: it
        is logged and the stage starts (its requests wait their turn).
        """
        failure: BaseException | None = None
        try:
            with anyio.fail_after(self._settings.check_timeout_s):
                await self._client.models.list()
        except (openai.OpenAIError, TimeoutError) as exc:
            failure = exc
        finding = check_finding(failure)
        if finding.status == "busy":
            log.warning("LLM endpoint %s is busy: %s; starting anyway", self.where, finding.detail)
        elif finding.status != "ok":
            raise LLMUnavailable(f"LLM endpoint {self.where} {finding.detail}")

    async def complete(
        self,
        role: Role,
        messages: Sequence[Message],
        *,
        key: str,
        model: ModelConfig | None = None,
        max_tokens: int = 0,
        schema: dict[str, Any] | None = None,
        schema_name: str = "answer",
    ) -> Completion:
        """One completion within the deadline; ``LLMError`` (with what it spent) when it fails."""
        chosen = model or self.choose_model(role, key)
        wire = [{"role": m.role, "content": m.content} for m in messages]
        bound = max_tokens or self.max_tokens(role, chosen)
        request = Request(role, chosen, wire, bound, schema, schema_name)
        spent = Spent()
        try:
            return await self._until_done(request, spent)
        except LLMError as exc:
            tokens = spent.prompt_tokens + spent.completion_tokens
            raise LLMError(str(exc), requests=spent.requests, tokens=tokens) from None

    async def _until_done(self, request: Request, spent: Spent) -> Completion:
        name, role = request.model.name, request.role
        deadline = time.monotonic() + self._settings.task_deadline_s
        attempt, last = 0, "none"
        while True:
            deadline += await self._pass_breaker()
            left = deadline - time.monotonic()
            if left <= 0:
                why = f"deadline reached; last attempt: {last}"
                raise self._give_up(role, name, "deadline", spent, why)
            try:
                return await self._attempt(request, spent, min(self._settings.timeout_s, left))
            except FormatRefused as refusal:
                self._format_refused(name, refusal.refused)
            except Retry as failure:
                last = f"{failure.reason} ({failure})"
                self._retried(role, name, failure)
                if not self.breaker.accepting:
                    continue  # parked behind the breaker: an outage costs no attempt
                if attempt >= self._settings.max_retries:
                    raise self._give_up(role, name, "retries", spent, str(failure)) from None
                pause = min(self._delay(attempt, failure.after), max(0.0, left - 0.001))
                await self._sleep(pause)
                attempt += 1

    def _retried(self, role: Role, name: str, failure: Retry) -> None:
        metrics.LLM_REQUESTS.labels(role, name, "retry").inc()
        metrics.LLM_RETRIES.labels(role, name, failure.reason).inc()
        self._log.warning(
            f"retry:{failure.reason}", "llm %s %s: %s (%s), retrying", role, name,
            failure.reason, str(failure),
        )  # fmt: skip
        if self.breaker.record(False, decisive=failure.reason == "connection"):
            log.warning("llm %s: new work waits until %s answers", role, self.where)

    def _give_up(self, role: Role, name: str, reason: str, spent: Spent, why: str) -> LLMError:
        metrics.LLM_REQUESTS.labels(role, name, "error").inc()
        metrics.LLM_GIVE_UPS.labels(role, name, reason).inc()
        message = f"{name}: gave up after {spent.requests} attempts: {why}"
        if reason == "deadline":
            message += f" (task deadline {self._settings.task_deadline_s:g}s)"
        self._log.warning(f"give_up:{reason}", "llm %s %s", role, message)
        return LLMError(message)

    def _format_refused(self, name: str, current: Format) -> None:
        if FORMATS.index(self._format(name)) > FORMATS.index(current):
            return  # another request already moved this model past the refused format
        following = next_format(current)
        if following is None:
            raise LLMError(f"{name}: the server refused even a request without response_format")
        metrics.LLM_FORMAT_FALLBACKS.labels(name, current).inc()
        log.warning("llm %s: server refused response format %s; using %s", name, current, following)
        self._formats[name] = following

    def _format(self, name: str) -> Format:
        return self._formats.get(name, self._settings.response_format)

    async def _pass_breaker(self) -> float:
        """Seconds spent waiting for the endpoint while the breaker is open (0 when closed)."""
        if self.breaker.accepting:
            return 0.0
        started = time.monotonic()
        while not self.breaker.accepting:
            if not self._probing:
                await self._probe()
            else:
                with anyio.move_on_after(self._settings.breaker_probe_s):
                    await self.breaker.wait_closed()
        return time.monotonic() - started

    async def _probe(self) -> None:
        """Ask the endpoint every ``breaker_probe_s`` until it answers (one prober at a time)."""
        self._probing = True
        try:
            while not self.breaker.accepting:
                await anyio.sleep(self._settings.breaker_probe_s)
                try:
                    with anyio.fail_after(self._settings.check_timeout_s):
                        await self._client.models.list()
                except openai.APIStatusError:
                    pass  # an HTTP answer, even an error, means the server is back
                except (openai.OpenAIError, TimeoutError):
                    continue
                self.breaker.probe_answered()
        finally:
            self._probing = False

    def _delay(self, attempt: int, after: float | None) -> float:
        cap = self._settings.backoff_max_s
        if after is not None and after <= cap:
            return after
        return backoff_delay(attempt, self._settings.backoff_s, cap, self._rng)

    async def _attempt(self, request: Request, spent: Spent, limit_s: float) -> Completion:
        async with self._limiters[request.role]:
            started = time.perf_counter()
            spent.requests += 1
            try:
                with anyio.fail_after(limit_s):
                    response = await self._create(request, limit_s)
            except TimeoutError:
                raise Retry("timeout", f"no answer within {limit_s:.1f}s") from None
            except openai.OpenAIError as exc:
                verdict = classify(exc)
                if isinstance(verdict, LLMError):
                    raise self._give_up(request.role, request.model.name, "refused",
                                        spent, str(verdict)) from None  # fmt: skip
                raise verdict from None
            seconds = time.perf_counter() - started
        self.breaker.record(True)
        return self._record(request, response, seconds, spent)

    async def _create(self, request: Request, limit_s: float) -> _Reply:
        model = request.model
        body: dict[str, Any] = {
            "model": model.name,
            "messages": request.messages,
            "temperature": model.temperature,
            "max_tokens": request.max_tokens,
        }
        used = effective(self._format(model.name), request.schema is not None)
        fmt = response_format(used, request.schema, request.schema_name)
        if fmt:
            body["response_format"] = fmt
        # The client's generic ``post`` rather than ``chat.completions.create``: the latter walks
        # every message through a type-driven transform and builds pydantic models of the answer,
        # which together cost more CPU than the rest of a request and cap throughput at high
        # concurrency. Errors, timeouts and status handling are the same.
        try:
            data = await self._client.post(
                "/chat/completions", cast_to=object, body=body, options={"timeout": limit_s}
            )
        except openai.OpenAIError as exc:
            if isinstance(classify(exc), FormatRefused):
                raise FormatRefused(used) from None
            raise
        try:
            return msgspec.convert(data, _Reply)
        except msgspec.ValidationError as exc:
            raise LLMError(f"{model.name}: not a chat completion: {exc}") from None

    def _record(self, request: Request, reply: _Reply, seconds: float, spent: Spent) -> Completion:
        role, model = request.role, request.model.name
        usage = reply.usage or _Usage()
        spent.prompt_tokens += usage.prompt_tokens
        spent.completion_tokens += usage.completion_tokens
        metrics.LLM_REQUESTS.labels(role, model, "ok").inc()
        metrics.LLM_TOKENS.labels(role, model, "prompt").inc(usage.prompt_tokens)
        metrics.LLM_TOKENS.labels(role, model, "completion").inc(usage.completion_tokens)
        metrics.LLM_SECONDS.labels(role, model).observe(seconds)
        choice = reply.choices[0] if reply.choices else _Choice()
        finish = choice.finish_reason or "stop"
        if finish == "length":
            metrics.LLM_TRUNCATED.labels(role, model).inc()
        cost = cost_of(request.model, spent.prompt_tokens, spent.completion_tokens)
        return Completion(
            choice.message.content or "", model, spent.prompt_tokens, spent.completion_tokens,
            seconds, finish, spent.requests, cost,
        )  # fmt: skip
