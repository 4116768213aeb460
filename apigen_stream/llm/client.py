"""The LLM client: one ``openai.AsyncOpenAI`` against any OpenAI-compatible endpoint.

The OpenAI client's own retries are off (``max_retries=0``): this module retries 429s (honouring
a small ``Retry-After``), 5xx, timeouts and connection errors with exponential backoff and full
jitter, then raises ``LLMError``. A ``CapacityLimiter`` caps requests in flight per replica, and a
slot is not held while backing off. JSON-object mode is asked for first; a model whose server
rejects it is remembered and asked again without. The API key is never logged or printed.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import anyio
import msgspec
import openai
from openai.types.chat import ChatCompletionMessageParam

from apigen_stream import metrics
from apigen_stream.config import LLMConfig, ModelConfig
from apigen_stream.errors import LLMError, LLMUnavailable
from apigen_stream.llm.prompts import Message

Role = Literal["generator", "judge"]

# Used when the configuration names no model: a small, cheap OpenAI model.
DEFAULT_MODEL = "gpt-4o-mini"

# Local servers (vLLM, Ollama) accept any key; the OpenAI client insists on one.
PLACEHOLDER_KEY = "none"

# A start-up check must fail fast: one clear line rather than a long hang.
CHECK_TIMEOUT_S = 10.0

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Completion:
    """One answer: its text, the model that wrote it, tokens used and latency."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


class _Usage(msgspec.Struct):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Message(msgspec.Struct):
    content: str | None = None


class _Choice(msgspec.Struct):
    message: _Message = msgspec.field(default_factory=_Message)


class _Reply(msgspec.Struct):
    """The fields of a chat completion this client reads; any others are ignored."""

    choices: list[_Choice] = []
    usage: _Usage | None = None


class _Retry(Exception):
    """An attempt failed in a way worth retrying; ``after`` is the server's wish, if any."""

    def __init__(self, detail: str, after: float | None = None) -> None:
        super().__init__(detail)
        self.after = after


class _NoJsonMode(Exception):
    """The server refused ``response_format``: ask again without it, at no attempt's cost."""


def pick_weighted(models: Sequence[ModelConfig], key: str) -> ModelConfig:
    """A model chosen by weight, the same for the same ``key`` (replays pick the same model)."""
    digest = hashlib.sha256(key.encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(m.weight for m in models)
    for model in models:
        point -= model.weight
        if point < 0:
            return model
    return models[-1]


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
    return rng.uniform(0.0, min(cap, base * 2**attempt))


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare from LLM servers, and backoff is a fine substitute


def _classify(exc: openai.OpenAIError) -> Exception:
    """What an OpenAI error means for the retry loop: ``_Retry``, ``_NoJsonMode`` or final."""
    if isinstance(exc, openai.APITimeoutError):
        return _Retry("timeout")
    if isinstance(exc, openai.APIConnectionError):
        return _Retry(f"connection error: {exc}")
    if isinstance(exc, openai.RateLimitError):
        return _Retry("429 rate limited", after=_retry_after(exc))
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return _Retry(f"{exc.status_code} server error")
        if exc.status_code == 400 and "response_format" in str(exc):
            return _NoJsonMode()
        return LLMError(f"{exc.status_code} {exc.message}"[:300])
    return LLMError(f"{type(exc).__name__}: {exc}"[:300])


def _messages(messages: Sequence[Message]) -> list[ChatCompletionMessageParam]:
    out: list[ChatCompletionMessageParam] = []
    for m in messages:
        if m.role == "system":
            out.append({"role": "system", "content": m.content})
        else:
            out.append({"role": "user", "content": m.content})
    return out


class LLMClient:
    """Chat completions for the generator and the judge roles, with retries and a cap."""

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
        self._limiter = anyio.CapacityLimiter(max(1, settings.concurrency))
        self._no_json_mode: set[str] = set()
        self._sleep = sleep
        self._rng = rng or random.Random()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connections; safe to call twice."""
        await self._client.close()

    def models(self, role: Role) -> list[ModelConfig]:
        """The models of a role; judges default to the generators, both to ``DEFAULT_MODEL``."""
        chosen = self._settings.judges if role == "judge" else []
        return chosen or self._settings.generators or [ModelConfig(name=DEFAULT_MODEL)]

    def choose_model(self, role: Role, key: str) -> ModelConfig:
        """The model that will answer the request filed under ``key``."""
        return pick_weighted(self.models(role), key)

    async def check_endpoint(self) -> None:
        """Fail fast at start-up, with one line, when the endpoint is unreachable or refuses us."""
        where = self._settings.base_url or "the OpenAI API"
        try:
            with anyio.fail_after(CHECK_TIMEOUT_S):
                await self._client.models.list()
        except openai.AuthenticationError:
            raise LLMUnavailable(f"LLM endpoint {where} refused the API key") from None
        except (openai.OpenAIError, TimeoutError) as exc:
            detail = type(exc).__name__
            raise LLMUnavailable(f"LLM endpoint {where} is unreachable ({detail})") from None

    async def complete(
        self, role: Role, messages: Sequence[Message], *, key: str, model: ModelConfig | None = None
    ) -> Completion:
        """One completion, retried on transient failures; ``LLMError`` once retries run out."""
        chosen = model or self.choose_model(role, key)
        attempt = 0
        while True:
            try:
                return await self._attempt(role, chosen, _messages(messages))
            except _NoJsonMode:
                if chosen.name in self._no_json_mode:
                    raise LLMError(f"{chosen.name}: 400 about response_format, not sent") from None
                self._no_json_mode.add(chosen.name)
            except _Retry as failure:
                if attempt >= self._settings.max_retries:
                    metrics.LLM_REQUESTS.labels(role, chosen.name, "error").inc()
                    raise LLMError(
                        f"{chosen.name}: {failure} after {attempt + 1} attempts"
                    ) from None
                metrics.LLM_REQUESTS.labels(role, chosen.name, "retry").inc()
                await self._sleep(self._delay(attempt, failure.after))
                attempt += 1

    def _delay(self, attempt: int, after: float | None) -> float:
        cap = self._settings.backoff_max_s
        if after is not None and after <= cap:
            return after
        return backoff_delay(attempt, self._settings.backoff_s, cap, self._rng)

    async def _attempt(
        self, role: Role, model: ModelConfig, messages: list[ChatCompletionMessageParam]
    ) -> Completion:
        async with self._limiter:
            started = time.perf_counter()
            try:
                response = await self._create(model, messages)
            except openai.OpenAIError as exc:
                verdict = _classify(exc)
                if isinstance(verdict, LLMError):
                    metrics.LLM_REQUESTS.labels(role, model.name, "error").inc()
                raise verdict from None
            except LLMError:
                metrics.LLM_REQUESTS.labels(role, model.name, "error").inc()
                raise
            seconds = time.perf_counter() - started
        return self._record(role, model.name, response, seconds)

    async def _create(
        self, model: ModelConfig, messages: list[ChatCompletionMessageParam]
    ) -> _Reply:
        body: dict[str, Any] = {
            "model": model.name,
            "messages": messages,
            "temperature": model.temperature,
        }
        if model.name not in self._no_json_mode:
            body["response_format"] = {"type": "json_object"}
        # The client's generic ``post`` rather than ``chat.completions.create``: the latter walks
        # every message through a type-driven transform and builds pydantic models of the answer,
        # which together cost more CPU than the rest of a request and cap throughput at high
        # concurrency. Errors, timeouts and status handling are the same.
        data = await self._client.post("/chat/completions", cast_to=object, body=body)
        try:
            return msgspec.convert(data, _Reply)
        except msgspec.ValidationError as exc:
            raise LLMError(f"{model.name}: not a chat completion: {exc}") from None

    def _record(self, role: Role, model: str, reply: _Reply, seconds: float) -> Completion:
        usage = reply.usage or _Usage()
        metrics.LLM_REQUESTS.labels(role, model, "ok").inc()
        metrics.LLM_TOKENS.labels(role, model, "prompt").inc(usage.prompt_tokens)
        metrics.LLM_TOKENS.labels(role, model, "completion").inc(usage.completion_tokens)
        metrics.LLM_SECONDS.labels(role, model).observe(seconds)
        text = (reply.choices[0].message.content or "") if reply.choices else ""
        return Completion(text, model, usage.prompt_tokens, usage.completion_tokens, seconds)
