"""REST tools executed over HTTP with aiohttp: host allowlist, timeouts and a response size cap.

``async with RestExecutor(allowlist=[...], credentials=os.environ) as rest:
outcome = await rest.run(api, arguments)``.

Arguments are bound by name into the path (percent-encoded, so they cannot change the host or
the path's shape), the query, headers and a JSON body, as the tool's ``RestBinding`` says. A URL
whose host is not allow-listed is refused before any request (``sandbox_violation``); redirects
are not followed, since they could lead off the allowlist. A status of 400 or more is
``http_error``, a JSON error payload is ``error_result``, a body over the cap is
``result_too_large``. Credentials come from the mapping given (never logged or echoed).
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

from apigen_stream.config import SandboxConfig
from apigen_stream.library.registry import Api, RestBinding
from apigen_stream.records import Outcome
from apigen_stream.sandbox.results import is_error_result

# Characters of a failed response's body kept in the detail: enough to read the server's message.
DETAIL_CHARS = 300
# Bytes read per chunk while enforcing the size cap.
CHUNK_BYTES = 64 * 1024


class Refused(Exception):
    """A call that must not be sent: ``reason`` is its reason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request ready to send."""

    method: str
    url: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


def host_allowed(url: str, allowlist: Collection[str]) -> bool:
    """Whether ``url``'s host is allow-listed: ``host``, ``host:port`` or ``*.domain``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in ("http", "https"):
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for entry in (e.lower() for e in allowlist):
        if entry in (host, f"{host}:{port}"):
            return True
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return True
    return False


def build_request(
    binding: RestBinding, arguments: Mapping[str, Any], credentials: Mapping[str, str]
) -> Request:
    """The request for a call; raises ``Refused`` for arguments the binding has no place for."""
    places = (binding.path_params, binding.query_params, binding.header_params,
              binding.body_params)  # fmt: skip
    known = {name for place in places for name in place}
    unknown = sorted(set(arguments) - known)
    if unknown:
        raise Refused("invalid_arguments", f"arguments with no place in the request: {unknown}")
    url = binding.url
    for name in binding.path_params:
        if name not in arguments:
            raise Refused("invalid_arguments", f"path parameter {name!r} is missing")
        url = url.replace("{" + name + "}", quote(_text(arguments[name]), safe=""))
    params = [(n, _text(v)) for n in binding.query_params if n in arguments
              for v in _values(arguments[n])]  # fmt: skip
    headers = {n: _text(arguments[n]) for n in binding.header_params if n in arguments}
    body_names = [n for n in binding.body_params if n in arguments]
    body = {n: arguments[n] for n in body_names} if binding.body_params else None
    secret = credentials.get(binding.auth_env, "") if binding.auth_env else ""
    if secret and binding.auth_header:
        headers[binding.auth_header] = binding.auth_prefix + secret
    elif secret and binding.auth_query:
        params.append((binding.auth_query, secret))
    return Request(binding.method, url, params, headers, body)


def _values(value: Any) -> list[Any]:
    """A query argument's values: lists repeat the key, None leaves it out."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def judge_response(
    name: str, status: int, body: bytes, content_type: str, elapsed_ms: float
) -> Outcome:
    """The outcome of a response that arrived within the size cap."""
    text = body.decode("utf-8", errors="replace")
    if status >= 300:
        note = " (redirects are not followed)" if status < 400 else ""
        detail = f"HTTP {status}{note}: {text[:DETAIL_CHARS]}"
        return Outcome(name=name, ok=False, reason="http_error", detail=detail,
                       elapsed_ms=elapsed_ms)  # fmt: skip
    result: Any = text if text else None
    if "json" in content_type.lower() and text:
        try:
            result = json.loads(text)
        except ValueError:
            return Outcome(
                name=name,
                ok=False,
                reason="exception",
                elapsed_ms=elapsed_ms,
                detail=f"HTTP {status}: the body is not the JSON it claims to be",
            )
    if is_error_result(result):
        return Outcome(name=name, ok=False, reason="error_result", elapsed_ms=elapsed_ms,
                       detail=text[:DETAIL_CHARS])  # fmt: skip
    return Outcome(name=name, ok=True, result=result, elapsed_ms=elapsed_ms)


class RestExecutor:
    """Runs calls of REST tools; one ``aiohttp.ClientSession`` for its whole life."""

    def __init__(
        self,
        *,
        allowlist: Iterable[str],
        credentials: Mapping[str, str],
        timeout_s: float = 10.0,
        max_result_bytes: int = 1_000_000,
    ) -> None:
        self._allowlist = frozenset(allowlist)
        self._credentials = credentials
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._timeout_s = timeout_s
        self._cap = max_result_bytes
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_config(cls, config: SandboxConfig, credentials: Mapping[str, str]) -> RestExecutor:
        """An executor with the sandbox section's allowlist, timeout and size cap."""
        return cls(
            allowlist=config.rest_allowlist,
            credentials=credentials,
            timeout_s=config.rest_timeout_s,
            max_result_bytes=config.max_result_bytes,
        )

    async def __aenter__(self) -> RestExecutor:
        # trust_env=False: proxies from the environment would route around the allowlist.
        self._session = aiohttp.ClientSession(timeout=self._timeout, trust_env=False)
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session; closing twice is harmless."""
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def run(self, api: Api, arguments: Mapping[str, Any]) -> Outcome:
        """Call ``api`` with ``arguments`` bound by name; never raises for a failed call."""
        started = time.perf_counter()
        try:
            request = self._prepare(api, arguments)
            return await self._send(api.name, request, started)
        except Refused as exc:
            return Outcome(name=api.name, ok=False, reason=exc.reason, detail=exc.detail,
                           elapsed_ms=_since(started))  # fmt: skip

    def _prepare(self, api: Api, arguments: Mapping[str, Any]) -> Request:
        if api.kind != "rest" or api.rest is None:
            raise Refused("not_executable", f"{api.name!r} is not a REST tool")
        request = build_request(api.rest, arguments, self._credentials)
        if not host_allowed(request.url, self._allowlist):
            host = urlsplit(request.url).netloc
            raise Refused("sandbox_violation", f"host {host!r} is not in the REST allowlist")
        return request

    async def _send(self, name: str, request: Request, started: float) -> Outcome:
        if self._session is None:
            raise RuntimeError("RestExecutor used outside its 'async with' block")
        try:
            async with self._session.request(
                request.method, request.url, params=request.params, headers=request.headers,
                json=request.body, allow_redirects=False,
            ) as response:  # fmt: skip
                body = await self._read_capped(response)
                content_type = response.headers.get("Content-Type", "")
                return judge_response(name, response.status, body, content_type, _since(started))
        except TimeoutError:
            raise Refused("timeout", f"no complete response within {self._timeout_s:g} s") from None
        except (aiohttp.ClientError, ValueError) as exc:
            raise Refused("exception", f"request failed: {type(exc).__name__}: {exc}") from None

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        declared = response.content_length
        if declared is not None and declared > self._cap:
            raise Refused("result_too_large", f"response of {declared} bytes > {self._cap}")
        body = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK_BYTES):
            body.extend(chunk)
            if len(body) > self._cap:
                raise Refused("result_too_large", f"response over {self._cap} bytes")
        return bytes(body)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
