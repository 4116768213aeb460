"""OpenAPI credentials under their default names reach every way a call is made.

The test petstore spec's security schemes (``storeKey``, ``bearerAuth``) name no environment
variable, so their defaults apply: ``STORE_KEY`` and ``BEARER_AUTH``. A local HTTP server checks
both; the same calls go through ``apis call`` and through the execute stage as the pipeline
opens it, and both are let in.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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

SPEC = Path(__file__).resolve().parents[1] / "support" / "petstore_openapi.yaml"
SERVER = '"{scheme}://pets.example.com/v1"'
STORE_KEY, BEARER = "store-secret", "bearer-secret"


class _Pets(BaseHTTPRequestHandler):
    def _answer(self, allowed: bool, body: object) -> None:
        data = json.dumps(body if allowed else {"message": "unauthorised"}).encode()
        self.send_response(200 if allowed else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        allowed = self.headers.get("X-Store-Key") == STORE_KEY
        self._answer(allowed, {"id": int(self.path.rsplit("/", 1)[1]), "name": "Rex"})

    def do_DELETE(self) -> None:
        allowed = self.headers.get("Authorization") == f"Bearer {BEARER}"
        self._answer(allowed, {"deleted": True})

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pets)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    spec = tmp_path / "petstore.yaml"  # the test spec, served by the local server
    spec.write_text(SPEC.read_text(encoding="utf-8").replace(SERVER, base), encoding="utf-8")
    path = tmp_path / "apigen.toml"
    path.write_text(
        f'[library]\nbuiltin = false\nopenapi_specs = ["{spec}"]\n'
        '[sandbox]\nrest_allowlist = ["127.0.0.1"]\nworkers = 1\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STORE_KEY", STORE_KEY)
    monkeypatch.setenv("BEARER_AUTH", BEARER)
    yield path
    server.shutdown()
    server.server_close()


CALLS = [("get_pets_petId", {"petId": 7}, {"id": 7, "name": "Rex"}),
         ("delete_pet", {"petId": 7}, {"deleted": True})]  # fmt: skip


@pytest.mark.parametrize(("name", "arguments", "result"), CALLS)
def test_apis_call_is_authenticated(
    config_file: Path, capsys: pytest.CaptureFixture[str], name: str, arguments: object,
    result: object,
) -> None:  # fmt: skip
    code = main(["apis", "--config", str(config_file), "call", name, "--args",
                 json.dumps(arguments)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert json.loads(out)["result"] == result


@pytest.mark.parametrize(("name", "arguments", "result"), CALLS)
def test_the_execute_stage_is_authenticated(
    config_file: Path, name: str, arguments: dict[str, object], result: object
) -> None:
    config = load_config(str(config_file))

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
