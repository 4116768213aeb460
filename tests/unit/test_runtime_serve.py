"""The health and metrics server: real HTTP on a free loopback port."""

from __future__ import annotations

import aiohttp
import pytest

from apigen_stream import metrics
from apigen_stream.config import ServeConfig
from apigen_stream.engine.serve import serve_http

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_metrics_health_and_readiness() -> None:
    ready = False
    metrics.RECORDS.labels("serve-test", "accepted", "").inc(7)
    async with (
        serve_http(ServeConfig(host="127.0.0.1", port=0), lambda: ready) as address,
        aiohttp.ClientSession() as http,
    ):
        assert address.startswith("http://127.0.0.1:")
        async with http.get(f"{address}/healthz") as response:
            assert response.status == 200
        async with http.get(f"{address}/readyz") as response:
            assert response.status == 503
        ready = True
        async with http.get(f"{address}/readyz") as response:
            assert response.status == 200
        async with http.get(f"{address}/metrics") as response:
            text = await response.text()
        line = 'apigen_records_total{outcome="accepted",reason="",stage="serve-test"} 7.0'
        assert line in text.splitlines()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"{address}/healthz")
