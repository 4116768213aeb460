"""Reading the services' ``/metrics`` for ``apigen-stream top``: endpoints and their text.

Endpoints come from a Prometheus ``file_sd`` target file (``up`` writes one; its ``service``
label names the service) and from addresses given by hand. A file that is missing or half
written, and an endpoint that does not answer, are skipped for that round: a view of a running
pipeline must outlive a replica restarting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import aiohttp
import anyio

# Seconds one endpoint may take to answer before it counts as down for this round.
FETCH_TIMEOUT_S = 2.0


def endpoint_url(address: str) -> str:
    """``http://HOST:PORT/metrics`` from ``HOST:PORT``, ``http://HOST:PORT`` or the full URL."""
    url = address if "://" in address else f"http://{address}"
    return url if url.rstrip("/").endswith("/metrics") else url.rstrip("/") + "/metrics"


def read_targets(path: Path) -> list[tuple[str, str]]:
    """``(service, metrics URL)`` of every target in a ``file_sd`` file; none if unreadable."""
    try:
        groups = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return []
    found = []
    for group in groups if isinstance(groups, list) else []:
        service = str(group.get("labels", {}).get("service", ""))
        found += [(service, endpoint_url(t)) for t in group.get("targets", [])]
    return found


async def fetch_all(
    endpoints: Iterable[tuple[str, str]], timeout_s: float = FETCH_TIMEOUT_S
) -> list[tuple[str, str]]:
    """``(service, metrics text)`` of every endpoint that answered."""
    answers: list[tuple[str, str]] = []
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(service: str, url: str) -> None:
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        answers.append((service, await response.text()))
            except (aiohttp.ClientError, TimeoutError):
                return

        async with anyio.create_task_group() as tg:
            for service, url in endpoints:
                tg.start_soon(one, service, url)
    return answers


def endpoints_of(targets_file: Path | None, addresses: Sequence[str]) -> list[tuple[str, str]]:
    """The endpoints of this round: the target file's (re-read) and those given by hand."""
    found = read_targets(targets_file) if targets_file else []
    return found + [("", endpoint_url(a)) for a in addresses]
