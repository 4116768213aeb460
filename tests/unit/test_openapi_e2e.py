"""The OpenAPI importer end to end: a real aiohttp REST service on a loopback port, its spec
imported, its operations called through ``RestExecutor``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from aiohttp import web

from apigen_stream.library import openapi
from apigen_stream.library.registry import Api
from apigen_stream.records import Outcome
from apigen_stream.sandbox.rest import RestExecutor

pytestmark = pytest.mark.anyio

API_KEY = "s3cret-key"
BIG_BYTES = 50_000
CAP_BYTES = 10_000
# The slow endpoint answers long after the executor's timeout in the test that calls it.
SLOW_S = 5.0
TIMEOUT_S = 0.3

BOOKS = {1: {"id": 1, "title": "Dune", "year": 1965}, 2: {"id": 2, "title": "Emma", "year": 1815}}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Service:
    """The running service: its base URL and every request it received."""

    url: str
    seen: list[str] = field(default_factory=list)


def _app(seen: list[str]) -> web.Application:
    async def get_book(request: web.Request) -> web.Response:
        book = BOOKS.get(int(request.match_info["bookId"]))
        if book is None:
            return web.json_response({"message": "no such book"}, status=404)
        return web.json_response(book)

    async def search(request: web.Request) -> web.Response:
        year = request.query.get("year", "")
        if year and not year.lstrip("-").isdigit():
            return web.json_response({"detail": "year must be an integer"}, status=422)
        hits = [b for b in BOOKS.values() if not year or b["year"] == int(year)]
        limit = int(request.query.get("limit", "10"))
        return web.json_response({"results": hits[:limit], "tags": request.query.getall("tag", [])})

    async def create_review(request: web.Request) -> web.Response:
        if request.headers.get("X-Api-Key") != API_KEY:
            return web.json_response({"message": "missing or wrong key"}, status=401)
        body = await request.json()
        if body.get("stars", 0) > 5:
            return web.json_response({"error": "stars are 1 to 5"})
        return web.json_response({"saved": body}, status=201)

    async def crash(request: web.Request) -> web.Response:
        return web.Response(status=500, text="internal trouble")

    async def slow(request: web.Request) -> web.Response:
        await anyio.sleep(SLOW_S)
        return web.json_response({"late": True})

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * BIG_BYTES, content_type="text/plain")

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        seen.append(f"{request.method} {request.path_qs}")
        response: web.StreamResponse = await handler(request)
        return response

    app = web.Application(middlewares=[record])
    app.router.add_get("/v1/books/{bookId}", get_book)
    app.router.add_get("/v1/books", search)
    app.router.add_post("/v1/books/{bookId}/reviews", create_review)
    app.router.add_get("/v1/crash", crash)
    app.router.add_get("/v1/big", big)
    app.router.add_get("/v1/slow", slow)
    return app


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    seen: list[str] = []
    # A short grace period: the slow endpoint must not hold up the end of its test.
    runner = web.AppRunner(_app(seen), shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield Service(url=f"http://127.0.0.1:{port}", seen=seen)
    finally:
        await runner.cleanup()


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Books", "version": "1"},
    "servers": [{"url": "/v1"}],
    "components": {
        "securitySchemes": {"reviewKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "parameters": {"BookId": {"name": "bookId", "in": "path", "required": True,
                                  "schema": {"type": "integer"}}},
    },
    "paths": {
        "/books/{bookId}": {"get": {"operationId": "get_book",
                                    "parameters": [{"$ref": "#/components/parameters/BookId"}]}},
        "/books": {"get": {"operationId": "search_books", "parameters": [
            {"name": "year", "in": "query", "schema": {"type": "integer"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "tag", "in": "query", "schema": {"type": "array",
                                                      "items": {"type": "string"}}}]}},
        "/books/{bookId}/reviews": {"post": {
            "operationId": "create_review", "security": [{"reviewKey": []}],
            "parameters": [{"$ref": "#/components/parameters/BookId"}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["stars"],
                "properties": {"stars": {"type": "integer"}, "text": {"type": "string"}}}}}}}},
        "/crash": {"get": {"operationId": "crash"}},
        "/big": {"get": {"operationId": "big"}},
        "/slow": {"get": {"operationId": "slow"}},
    },
}  # fmt: skip


def _tools(base_url: str) -> dict[str, Api]:
    return {a.name: a for a in openapi.apis_from_spec(SPEC, base_url=base_url)}


async def _call(
    service: Service,
    name: str,
    arguments: dict[str, Any],
    credentials: dict[str, str] | None = None,
) -> Outcome:
    tools = _tools(service.url)
    creds = {"REVIEW_KEY": API_KEY} if credentials is None else credentials
    async with RestExecutor(
        allowlist=["127.0.0.1"], credentials=creds, max_result_bytes=CAP_BYTES
    ) as rest:
        return await rest.run(tools[name], arguments)


async def test_success_with_path_and_query_parameters(service: Service) -> None:
    outcome = await _call(service, "get_book", {"bookId": 1})
    assert outcome.ok, outcome.detail
    assert outcome.result == BOOKS[1]
    assert outcome.elapsed_ms > 0
    outcome = await _call(service, "search_books", {"year": 1815, "tag": ["a", "b"]})
    assert outcome.ok, outcome.detail
    assert outcome.result == {"results": [BOOKS[2]], "tags": ["a", "b"]}
    assert service.seen == ["GET /v1/books/1", "GET /v1/books?year=1815&tag=a&tag=b"]


@pytest.mark.parametrize(
    ("name", "arguments", "status", "words"),
    [
        ("get_book", {"bookId": 99}, 404, "no such book"),
        ("search_books", {"year": "soon"}, 422, "year must be an integer"),
        ("crash", {}, 500, "internal trouble"),
    ],
)
async def test_error_statuses_are_failed_executions(
    service: Service, name: str, arguments: dict[str, Any], status: int, words: str
) -> None:
    outcome = await _call(service, name, arguments)
    assert not outcome.ok
    assert outcome.reason == "http_error"
    assert outcome.detail.startswith(f"HTTP {status}")
    assert words in outcome.detail


async def test_key_from_credentials_goes_in_its_header(service: Service) -> None:
    outcome = await _call(service, "create_review", {"bookId": 2, "stars": 4, "text": "Witty"})
    assert outcome.ok, outcome.detail
    assert outcome.result == {"saved": {"stars": 4, "text": "Witty"}}


async def test_missing_key_is_a_401_failed_execution(service: Service) -> None:
    outcome = await _call(service, "create_review", {"bookId": 2, "stars": 4}, credentials={})
    assert (outcome.ok, outcome.reason) == (False, "http_error")
    assert outcome.detail.startswith("HTTP 401")
    assert API_KEY not in outcome.detail


async def test_error_payload_with_status_200_is_a_failed_execution(service: Service) -> None:
    outcome = await _call(service, "create_review", {"bookId": 1, "stars": 9})
    assert (outcome.ok, outcome.reason) == (False, "error_result")
    assert "stars are 1 to 5" in outcome.detail


async def test_oversize_response_is_refused(service: Service) -> None:
    outcome = await _call(service, "big", {})
    assert (outcome.ok, outcome.reason) == (False, "result_too_large")


async def test_host_outside_the_allowlist_is_refused_without_a_request(service: Service) -> None:
    port = service.url.rsplit(":", 1)[1]
    # Same service, reached by a name the allowlist does not hold.
    tools = {a.name: a for a in openapi.apis_from_spec(SPEC, base_url=f"http://localhost:{port}")}
    async with RestExecutor(allowlist=["127.0.0.1"], credentials={}) as rest:
        outcome = await rest.run(tools["get_book"], {"bookId": 1})
    assert (outcome.ok, outcome.reason) == (False, "sandbox_violation")
    assert "localhost" in outcome.detail
    assert service.seen == []


async def test_path_arguments_cannot_escape_their_segment(service: Service) -> None:
    outcome = await _call(service, "get_book", {"bookId": "1/../../crash"})
    assert (outcome.ok, outcome.reason) == (False, "http_error")
    assert len(service.seen) == 1
    assert service.seen[0].startswith("GET /v1/books/1%2F")


async def test_unreachable_port_and_unknown_arguments_fail_cleanly(service: Service) -> None:
    outcome = await _call(service, "get_book", {"bookId": 1, "extra": 2})
    assert (outcome.ok, outcome.reason) == (False, "invalid_arguments")
    closed = {a.name: a for a in openapi.apis_from_spec(SPEC, base_url="http://127.0.0.1:9")}
    async with RestExecutor(allowlist=["127.0.0.1"], credentials={}) as rest:
        outcome = await rest.run(closed["get_book"], {"bookId": 1})
    assert (outcome.ok, outcome.reason) == (False, "exception")
    assert service.seen == []


async def test_a_slow_service_times_out(service: Service) -> None:
    tools = _tools(service.url)
    started = anyio.current_time()
    async with RestExecutor(allowlist=["127.0.0.1"], credentials={}, timeout_s=TIMEOUT_S) as rest:
        outcome = await rest.run(tools["slow"], {})
    assert (outcome.ok, outcome.reason) == (False, "timeout")
    assert anyio.current_time() - started < SLOW_S / 2
