"""A local server for the test petstore spec (``petstore_openapi.yaml``) that checks credentials.

The spec's security schemes (``storeKey``, ``bearerAuth``) name no environment variable, so
their defaults apply: ``STORE_KEY`` and ``BEARER_AUTH``. ``GET /v1/pets/{id}`` lets in only
the store key, ``DELETE`` only the bearer token; anything else is a 401. The server records
each request it answered, so a test sees that the credentials arrived, not only the answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.configs import write_config

SPEC = Path(__file__).resolve().parent / "petstore_openapi.yaml"
SPEC_SERVER = '"{scheme}://pets.example.com/v1"'
STORE_KEY, BEARER = "store-secret", "bearer-secret"
# The credentials under the spec's default names, as a process's environment gives them.
CREDENTIALS = {"STORE_KEY": STORE_KEY, "BEARER_AUTH": BEARER}
# (function, arguments, the authenticated answer) for one call of each scheme.
CALLS = [("get_pets_petId", {"petId": 7}, {"id": 7, "name": "Rex"}),
         ("delete_pet", {"petId": 7}, {"deleted": True})]  # fmt: skip
UNAUTHORISED = {"message": "unauthorised"}


@dataclass(frozen=True)
class Request:
    """One request the server answered: its method, path and whether it was let in."""

    method: str
    path: str
    allowed: bool


@dataclass
class Petstore:
    """The running server: ``base`` is its ``http://127.0.0.1:PORT/v1``."""

    base: str
    requests: list[Request] = field(default_factory=list)

    def write_spec(self, directory: Path) -> Path:
        """The test spec, its server replaced by this one."""
        path = directory / "petstore.yaml"
        text = SPEC.read_text(encoding="utf-8").replace(SPEC_SERVER, self.base)
        path.write_text(text, encoding="utf-8")
        return path

    def write_config(self, directory: Path) -> Path:
        """An ``apigen.toml`` with only the petstore's APIs, allowed to reach this server."""
        return write_config(
            directory / "apigen.toml",
            {"library": {"builtin": False, "openapi_specs": [str(self.write_spec(directory))]}},
            {"sandbox": {"rest_allowlist": ["127.0.0.1"], "workers": 1}},
        )


def _handler(store: Petstore) -> type[BaseHTTPRequestHandler]:
    class Pets(BaseHTTPRequestHandler):
        def _answer(self, allowed: bool, body: object) -> None:
            store.requests.append(Request(self.command, self.path, allowed))
            data = json.dumps(body if allowed else UNAUTHORISED).encode()
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

    return Pets


@contextmanager
def petstore() -> Iterator[Petstore]:
    """The server on a free loopback port, in a thread of this process, for the block."""
    store = Petstore(base="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    store.base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
