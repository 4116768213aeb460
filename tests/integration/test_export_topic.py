"""``export --from-topic`` over a real broker: a bad record is skipped and named, not fatal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apigen_stream.engine.codec import encode
from apigen_stream.records import Call, Sample, Tool
from tests.support.kafka import MakeTopic, produce_values, run_sync

pytestmark = [pytest.mark.integration]


def sample(i: int) -> Sample:
    tool = Tool(name="echo", parameters={"type": "object", "properties": {"text": {}}})
    return Sample(
        id=f"export-{i}", style="simple", query=f"echo {i}",
        calls=[Call(name="echo", arguments={"text": str(i)})], tools=[tool],
    )  # fmt: skip


def test_export_skips_and_names_undecodable_records(
    kafka_bootstrap: str, make_topic: MakeTopic, tmp_path: Path
) -> None:
    topic = make_topic("export")
    good = [encode(sample(i)) for i in range(5)]
    values = [*good[:2], b"{not json", b'{"id": 5}', *good[2:]]
    run_sync(produce_values(kafka_bootstrap, topic, values))
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "apigen_stream.cli", "export", "--from-topic", topic,
         "--bootstrap", kafka_bootstrap, "--to", "xlam", "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["query"] for r in rows] == [f"echo {i}" for i in range(5)]
    assert f"{topic}[0]@2" in done.stderr and f"{topic}[0]@3" in done.stderr
    assert "skipped 2 undecodable record(s)" in done.stderr
    assert "Traceback" not in done.stderr
