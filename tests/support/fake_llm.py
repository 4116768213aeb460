"""A real OpenAI-compatible HTTP server for tests, scripted per request.

``POST /v1/chat/completions`` and ``GET /v1/models`` on a free loopback port. A script, a callable
``(request_json, attempt_no) -> FakeReply``, decides each answer: status, content, delay, usage,
headers. ``attempt_no`` counts earlier requests with the same body, so "a 429, then success" is
one line of script. The server records every request body and the most requests it ever had in
flight at once.

From a separate process (the end-to-end funnel test)::

    python -m tests.support.fake_llm --port 0 --scenario funnel

prints ``base_url=http://127.0.0.1:PORT/v1`` and serves the deterministic funnel scenario of
``tests.support.funnel`` until stopped; ``--scenario fixed --latency 0.2`` answers every request
with the same pairs after a fixed delay (the LLM benchmark), ``--scenario pipeline`` with valid
pairs and passing verdicts (the embedded-run benchmark).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

# Loopback only: the server is for tests on this machine.
HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class FakeReply:
    """One scripted answer; ``content`` is the message text, or the error message if status ≠ 200.

    ``usage`` is (prompt tokens, completion tokens); ``finish_reason`` "length" says the answer
    was cut at ``max_tokens``; ``stall`` never answers (the client must give up by itself).
    """

    status: int = 200
    content: str = ""
    delay_s: float = 0.0
    usage: tuple[int, int] = (10, 20)
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    stall: bool = False


Script = Callable[[dict[str, Any], int], FakeReply]


def user_text(request: dict[str, Any]) -> str:
    """The concatenated text of a request's user messages."""
    return "\n".join(
        str(m.get("content", "")) for m in request.get("messages", []) if m.get("role") == "user"
    )


def system_text(request: dict[str, Any]) -> str:
    """The text of a request's system message, or ''."""
    found = [m for m in request.get("messages", []) if m.get("role") == "system"]
    return str(found[0].get("content", "")) if found else ""


def completion_body(request: dict[str, Any], reply: FakeReply) -> dict[str, Any]:
    """The JSON of a chat completion carrying ``reply``."""
    prompt, completion = reply.usage
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def error_body(reply: FakeReply) -> dict[str, Any]:
    """The JSON of an error answer, in OpenAI's shape."""
    message = reply.content or f"scripted error {reply.status}"
    return {"error": {"message": message, "type": "fake_error", "code": reply.status}}


class FakeLLM:
    """The server: ``async with FakeLLM(script) as llm: ... llm.base_url ...``."""

    def __init__(
        self, script: Script, models: Sequence[str] = ("fake-model",), models_delay_s: float = 0.0
    ) -> None:
        self.script = script
        self.models = list(models)
        self.models_delay_s = models_delay_s
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        # The server's own usage totals: tokens of the answers it delivered.
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.answered = 0
        self._stopping = asyncio.Event()
        self._attempts: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """The OpenAI base URL of this server."""
        return f"http://{HOST}:{self.port}/v1"

    @property
    def chat_requests(self) -> int:
        """How many chat-completion requests arrived."""
        return len(self.requests)

    async def start(self, port: int = 0) -> None:
        """Listen on ``port`` of the loopback interface (0: a free one)."""
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening; safe to call twice."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            self._stopping.set()
            await runner.cleanup()

    async def __aenter__(self) -> FakeLLM:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _models(self, _: web.Request) -> web.Response:
        if self.models_delay_s:
            await asyncio.sleep(self.models_delay_s)
        data = [{"id": m, "object": "model", "owned_by": "fake"} for m in self.models]
        return web.json_response({"object": "list", "data": data})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.read()
        except ConnectionResetError:  # the client hung up mid-request (a run that stopped)
            return web.Response(status=499)
        payload: dict[str, Any] = json.loads(body)
        digest = hashlib.sha256(body).hexdigest()
        attempt = self._attempts.get(digest, 0)
        self._attempts[digest] = attempt + 1
        self.requests.append(payload)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self.script(payload, attempt)
            if reply.stall:
                await self._stopping.wait()  # until the server stops: the client must give up
            if reply.delay_s:
                await asyncio.sleep(reply.delay_s)
        finally:
            self.in_flight -= 1
        if reply.status == 200:
            answer = web.json_response(completion_body(payload, reply), headers=reply.headers)
            try:
                await answer.prepare(request)
                await answer.write_eof()
            except ConnectionResetError:
                # The client hung up first (a run that stopped): nothing was served.
                return answer
            # Counted once delivered: an answer whose client hung up first was not served.
            self.answered += 1
            self.prompt_tokens += reply.usage[0]
            self.completion_tokens += reply.usage[1]
            return answer
        return web.json_response(error_body(reply), status=reply.status, headers=reply.headers)


def expected_counts(n_tasks: int, **options: Any) -> dict[tuple[str, str], int]:
    """The funnel scenario's rejections by (stage, reason); see ``tests.support.funnel``."""
    from tests.support import funnel

    return funnel.expected_counts(n_tasks, **options)


def fixed_latency(latency_s: float) -> Script:
    """A script answering every request with three small pairs after ``latency_s`` seconds."""
    pairs = [
        {"query": f"q{n}", "answers": [{"name": "tool", "arguments": {"n": n}}]} for n in (1, 2, 3)
    ]
    content = json.dumps({"pairs": pairs})
    return lambda request, attempt: FakeReply(content=content, delay_s=latency_s)


def prompt_task(prompt: str) -> tuple[str, str, list[dict[str, Any]], int]:
    """(task id, style, tools, pairs asked) read back from a generator prompt."""
    from apigen_stream.llm.prompts import (
        PAIRS_PHRASE,
        STYLE_INSTRUCTIONS,
        TASK_PHRASE,
        TOOLS_HEADER,
    )

    # Split on newlines only: a tool's description may hold other line separators (U+2028),
    # which the one-line tool JSON keeps verbatim.
    lines = prompt.split("\n")
    tools: list[dict[str, Any]] = json.loads(lines[lines.index(TOOLS_HEADER) + 1])
    style = next((s for s, text in STYLE_INSTRUCTIONS.items() if text in prompt), "simple")
    task_prefix, pairs_prefix = TASK_PHRASE.split("{")[0], PAIRS_PHRASE.split("{")[0]
    task_id = next((x[len(task_prefix) :] for x in lines if x.startswith(task_prefix)), "")
    pairs_line = next((x[len(pairs_prefix) :] for x in lines if x.startswith(pairs_prefix)), "1")
    return task_id, style, tools, int(pairs_line.split()[0])


def pipeline_latency(latency_s: float) -> Script:
    """A script for whole-pipeline runs, each answer after ``latency_s`` seconds: the pairs the
    offline generator writes for the prompt's task (its tools, style and pair count, whatever
    the library draws), judges saying yes; usage scales with the text, as a real server's."""
    from apigen_stream.config import LibraryConfig
    from apigen_stream.library.load import load_registry
    from apigen_stream.llm.prompts import JUDGE_SYSTEM
    from apigen_stream.offline.generator import offline_pairs
    from apigen_stream.records import Task, Tool

    registry = load_registry(LibraryConfig(), {})

    def script(request: dict[str, Any], attempt: int) -> FakeReply:
        prompt = user_text(request)
        usage = (len(prompt) // 4, 0)
        if system_text(request) == JUDGE_SYSTEM:
            content = json.dumps({"thought": "fits", "pass": "yes"})
            return FakeReply(content=content, delay_s=latency_s, usage=(usage[0], 12))
        task_id, style, tools, pairs = prompt_task(prompt)
        task = Task(id=task_id, style=style, tools=[Tool(**t) for t in tools], pairs=pairs)  # type: ignore[arg-type]
        answers = [
            {"query": p.query,
             "answers": [{"name": c.name, "arguments": c.arguments} for c in p.calls]}
            for p in offline_pairs(task, registry, 0)
        ]  # fmt: skip
        content = json.dumps({"pairs": answers})
        return FakeReply(content=content, delay_s=latency_s, usage=(usage[0], len(content) // 4))

    return script


async def _serve(port: int, scenario: str, latency_s: float) -> None:
    from tests.support import funnel, phases

    scripts: dict[str, Script] = {
        "funnel": funnel.funnel_reply,
        "fixed": fixed_latency(latency_s),
        "pipeline": pipeline_latency(latency_s),
        "phases": phases.phases_reply,
    }
    server = FakeLLM(scripts[scenario])
    await server.start(port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"base_url={server.base_url}", flush=True)
    await stop.wait()
    await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a named scenario until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.fake_llm")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--scenario", choices=["funnel", "fixed", "pipeline", "phases"], default="funnel"
    )
    parser.add_argument("--latency", type=float, default=0.2, help="seconds, for 'fixed'")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.port, args.scenario, args.latency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
