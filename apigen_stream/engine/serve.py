"""The health and metrics server every process runs: ``/metrics``, ``/healthz``, ``/readyz``.

``/metrics`` is prometheus-client's text format; ``/healthz`` answers while the process runs;
``/readyz`` answers 200 only when the process says it is ready (for a stage: its consumer
joined the group and the broker answered), 503 otherwise; after its first line it lists what
parts of the process published with ``publish_detail`` (the sandbox: what each layer enforces),
one ``name {json}`` line each.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from apigen_stream.config import ServeConfig
from apigen_stream.errors import ServeUnavailable

# Published once at start-up by the parts of a process that have something to declare.
_details: dict[str, Mapping[str, str]] = {}


def publish_detail(name: str, detail: Mapping[str, str]) -> None:
    """Show ``detail`` under ``name`` in every ``/readyz`` answer from now on."""
    _details[name] = dict(detail)


def _detail_lines() -> str:
    return "".join(f"{name} {json.dumps(detail)}\n" for name, detail in _details.items())


def _app(ready: Callable[[], bool]) -> web.Application:
    async def metrics(_: web.Request) -> web.Response:
        body = generate_latest(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_: web.Request) -> web.Response:
        if ready():
            return web.Response(text="ready\n" + _detail_lines())
        return web.Response(status=503, text="not ready\n" + _detail_lines())

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return app


@asynccontextmanager
async def serve_http(config: ServeConfig, ready: Callable[[], bool]) -> AsyncIterator[str]:
    """Serve the three endpoints on ``config.host:config.port`` (0: a free port).

    Yields the base address, e.g. ``http://127.0.0.1:43121``; the server stops on exit.
    """
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:  # the port is taken, or the host is not this machine's
        sock.close()
        where = f"{config.host}:{config.port}"
        raise ServeUnavailable(f"cannot serve metrics on {where}: {exc.strerror}") from None
    sock.setblocking(False)
    runner = web.AppRunner(_app(ready), access_log=None)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        yield f"http://{shown}:{port}"
    finally:
        await runner.cleanup()
        sock.close()
