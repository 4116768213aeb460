"""OpenAPI credentials under their default names reach the execute stage run as a service.

The execute stage runs as ``apigen-stream run --stage`` over the real broker, on this test's
topics, with the petstore spec's default credential names (``STORE_KEY``, ``BEARER_AUTH``) in
the service's environment only. A candidate calling one API of each security scheme goes to
its input topic; the executed record read back holds the authenticated answers, and the local
server (``tests.support.petstore``) saw both credentials. ``tests/unit/test_credentials_e2e.py``
covers the same calls embedded and through ``apis call``.
"""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import msgspec
import pytest

from apigen_stream import topics
from apigen_stream.config import load_config
from apigen_stream.engine.codec import encode
from apigen_stream.library.load import load_registry
from apigen_stream.records import Call, Candidate, Executed, Rejection
from tests.integration.test_poison import Service
from tests.integration.test_runner import MakeTopic, make, produce, test_env
from tests.support.kafka import read_committed
from tests.support.petstore import CALLS, CREDENTIALS, Request, petstore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

# Seconds the executed record may take to show (the service starts its sandbox pool first).
WAIT_S = 120.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def outcome_of(
    bootstrap: str, topic: str, record_id: str
) -> tuple[list[Executed], list[Rejection]]:
    """What the stage made of ``record_id``: its executed records on ``topic`` and its
    rejections, once there is one of either (or time is up)."""
    executed: list[Executed] = []
    rejected: list[Rejection] = []
    with anyio.move_on_after(WAIT_S):
        while not (executed or rejected):
            await anyio.sleep(0.5)
            outputs = await read_committed(bootstrap, topic, 1)
            decoded = [msgspec.json.decode(r.value, type=Executed) for r in outputs]
            executed = [e for e in decoded if e.candidate.id == record_id]
            rejections = await read_committed(bootstrap, topics.REJECTED)
            rejected = [r for r in (msgspec.json.decode(v.value, type=Rejection)
                                    for v in rejections) if r.id == record_id]  # fmt: skip
    return executed, rejected


async def test_the_execute_service_calls_the_spec_authenticated(
    kafka_bootstrap: str, make_topic: MakeTopic, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # The credentials must come from the service's environment, not be inherited from here.
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    topic_in, topic_out = make(make_topic, "cred.in", 1), make(make_topic, "cred.out", 1)
    name = f"execute-{os.urandom(4).hex()}"
    with petstore() as store:
        config_file = store.write_config(tmp_path)
        registry = load_registry(load_config(str(config_file)).library, {})
        calls = [Call(name=api, arguments=arguments) for api, arguments, _ in CALLS]
        tools = [registry.get(api).tool() for api, _, _ in CALLS]
        record_id = f"{name}-000000"
        candidate = Candidate(id=record_id, query="Show pet 7, then delete it.", calls=calls,
                              tools=tools)  # fmt: skip
        await produce(kafka_bootstrap, topic_in, [encode(candidate)])
        env = {**test_env(name, topic_in, topic_out), **CREDENTIALS}
        service = Service(kafka_bootstrap, "open_execute", env, "--config", str(config_file))
        try:
            found, rejected = await outcome_of(kafka_bootstrap, topic_out, record_id)
            alive = service.process.poll() is None
        finally:
            service.close()
        seen = list(store.requests)
    assert alive, service.stderr()
    assert [(r.reason, r.detail) for r in rejected] == []
    assert len(found) == 1, service.stderr()
    [executed] = found
    assert [(o.ok, o.result) for o in executed.outcomes] == [(True, r) for _, _, r in CALLS]
    assert seen == [Request("GET", "/v1/pets/7", True), Request("DELETE", "/v1/pets/7", True)]
