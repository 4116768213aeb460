"""OpenAPI credentials under their default names reach every way a call is made.

The test petstore spec's security schemes name no environment variable, so their defaults
apply: ``STORE_KEY`` and ``BEARER_AUTH``. A local HTTP server checks both
(``tests.support.petstore``); the same calls go through ``apis call`` and through the execute
stage as the pipeline opens it, and both are let in. The execute stage as a Kafka service is
``tests/integration/test_credentials_service.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from apigen_stream.cli import main
from apigen_stream.config import load_config
from apigen_stream.engine.embedded import DEFAULT_ATTEMPTS, DEFAULT_BACKOFF
from apigen_stream.engine.handling import make_handling
from apigen_stream.library.load import load_registry
from apigen_stream.records import Call, Candidate, Executed
from apigen_stream.stages import open_in_process
from apigen_stream.stages.stage import DictState
from tests.support.petstore import CALLS, CREDENTIALS, Petstore, Request, petstore


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Petstore]:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with petstore() as running:
        yield running


def allowed(store: Petstore, method: str) -> list[Request]:
    return [r for r in store.requests if r.method == method and r.allowed]


METHODS = {"get_pets_petId": "GET", "delete_pet": "DELETE"}


@pytest.mark.parametrize(("name", "arguments", "result"), CALLS)
def test_apis_call_is_authenticated(
    store: Petstore, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
    arguments: object, result: object,
) -> None:  # fmt: skip
    config_file = store.write_config(tmp_path)
    code = main(["apis", "--config", str(config_file), "call", name, "--args",
                 json.dumps(arguments)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert json.loads(out)["result"] == result
    assert allowed(store, METHODS[name]) == [Request(METHODS[name], "/v1/pets/7", True)]


@pytest.mark.parametrize(("name", "arguments", "result"), CALLS)
def test_the_execute_stage_is_authenticated(
    store: Petstore, tmp_path: Path, name: str, arguments: dict[str, object], result: object
) -> None:
    config = load_config(str(store.write_config(tmp_path)))

    async def through_the_stage() -> object:
        async with open_in_process(config, ["execute"]) as (stage,):
            tools = [load_registry(config.library, {}).get(name).tool()]
            candidate = Candidate(id="c1", query="q", calls=[Call(name=name, arguments=arguments)],
                                  tools=tools)  # fmt: skip
            handling = make_handling(stage, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF)
            (sent,) = await handling.decoded(candidate, DictState({}))
        return sent.record

    record = anyio.run(through_the_stage)
    assert isinstance(record, Executed), record
    assert record.outcomes[0].ok and record.outcomes[0].result == result
    assert allowed(store, METHODS[name]) == [Request(METHODS[name], "/v1/pets/7", True)]
