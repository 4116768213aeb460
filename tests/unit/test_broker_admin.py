"""The admin client's quiet polling: aiokafka's per-attempt errors dropped only while it polls."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys

import anyio
import pytest

from apigen_stream.broker.admin import admin_client
from apigen_stream.errors import BrokerUnavailable


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_importing_the_admin_module_changes_no_logging() -> None:
    code = (
        "import logging, apigen_stream.broker.admin\nprint(logging.getLogger('aiokafka').filters)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_polling_a_dead_broker_is_one_error_and_leaves_no_filter(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def poll() -> None:
        async with admin_client(f"127.0.0.1:{closed_port()}", timeout_s=1.5):
            pass

    caplog.set_level(logging.ERROR, logger="aiokafka")
    with pytest.raises(BrokerUnavailable):
        anyio.run(poll)
    assert not [r for r in caplog.records if r.getMessage().startswith("Unable connect")]
    assert logging.getLogger("aiokafka").filters == []
