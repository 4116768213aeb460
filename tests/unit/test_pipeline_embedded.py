"""``apigen-stream run`` with no Kafka: the README's command, as a user runs it."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import string
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import anyio

from apigen_stream.export import xlam
from apigen_stream.export.files import read_manifest, read_rows
from apigen_stream.llm.prompts import GENERATOR_SYSTEM, JUDGE_SYSTEM, TOOLS_HEADER
from apigen_stream.offline.generator import sample_arguments
from tests.support.fake_llm import FakeLLM, FakeReply, system_text, user_text

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "apigen_stream.cli"]
WANTED = 100
# A guard against a hang only: how fast the run is belongs to bench/, not to a test on a
# shared machine.
HANG_S = 300.0


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "APIGEN__"))}  # fmt: skip
    env.update(extra)
    return env


def test_run_writes_the_samples_asked_for_and_prints_the_funnel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [*CLI, "run", "--count", str(WANTED), "--out", str(out)],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=HANG_S,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = list(read_rows(out))
    assert len(rows) == WANTED
    manifest = read_manifest(out)
    assert manifest is not None and manifest.format == "xlam"
    for row in rows:
        assert set(row) == {"id", "query", "answers", "tools"}
        assert isinstance(row["answers"], str) and isinstance(row["tools"], str)
        sample = xlam.from_row(row)
        assert sample.query and sample.tools
        offered = {t.name for t in sample.tools}
        assert all(c.name in offered for c in sample.calls)
        assert xlam.to_row(sample) == row
    assert len({r["id"] for r in rows}) == WANTED
    for line in ("tasks", "candidates", "rejected", "accepted", "tokens"):
        assert line in done.stderr
    # The work in flight when the count was reached is drained and counted, not abandoned.
    assert "in flight at stop" not in done.stderr
    assert f"accepted     {WANTED:>8}" in done.stderr
    # Every rejection the funnel counts is a line of rejected.jsonl, with its reason and record.
    lines = [json.loads(x) for x in (out / "rejected.jsonl").read_text().splitlines()]
    assert lines, "the offline run rejects some candidates (duplicates at least)"
    for line in lines:
        assert line["kind"] == "rejection"
        assert line["stage"] and line["reason"] and isinstance(line["detail"], str)
        record = line["record"]  # an Executed holds its candidate
        assert record.get("candidate", record)["id"] == line["id"]
    from_file = Counter((x["stage"], x["reason"]) for x in lines)
    assert from_file == funnel_rejections(done.stderr)
    assert f"wrote {WANTED} samples and {len(lines)} rejections" in done.stderr


def funnel_rejections(report: str) -> Counter[tuple[str, str]]:
    """The (stage, reason) counts of the funnel table's "rejected" section."""
    counts: Counter[tuple[str, str]] = Counter()
    section = report[report.index("\nrejected\n") :].splitlines()[2:]
    for line in section:
        if not line.startswith("  ") or line.strip() == "(none)":
            break
        stage, reason, n = line.split()
        counts[(stage, reason)] = int(n)
    return counts


def _generator(request: dict[str, Any]) -> FakeReply:
    prompt = user_text(request)
    lines = prompt.splitlines()
    tools = json.loads(lines[lines.index(TOOLS_HEADER) + 1])
    rng = random.Random(prompt)
    tool = tools[0]
    arguments = sample_arguments(rng, tool["parameters"], ())
    # The query states every argument (the semantic rules check it) and is unique per prompt.
    stated = json.dumps(arguments)
    ref = "".join(rng.choices(string.ascii_lowercase, k=10))
    pair = {"query": f"Please run {tool['name']} with {stated} (ref {ref})", "answers": [
        {"name": tool["name"], "arguments": arguments}]}  # fmt: skip
    return FakeReply(content=json.dumps({"pairs": [pair]}))


def _script(request: dict[str, Any], attempt: int) -> FakeReply:
    system = system_text(request)
    if system == GENERATOR_SYSTEM:
        return _generator(request)
    if system == JUDGE_SYSTEM:
        return FakeReply(content=json.dumps({"thought": "fine", "pass": "yes"}))
    return FakeReply(status=400, content="unknown prompt")


def test_run_uses_the_llm_when_openai_variables_are_set(tmp_path: Path) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]]:
        async with FakeLLM(_script) as llm:
            env = clean_env(OPENAI_BASE_URL=llm.base_url, OPENAI_API_KEY="test-key")
            done = await anyio.run_process(
                [*CLI, "run", "--count", "3", "--out", str(out)],
                cwd=tmp_path, env=env, check=False,
            )  # fmt: skip
            return done, list(llm.requests)

    done, requests = anyio.run(scenario)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    systems = [system_text(r) for r in requests]
    assert GENERATOR_SYSTEM in systems
    rows = list(read_rows(out))
    assert rows, done.stderr.decode()[-3000:]
    # Every accepted sample was judged by the LLM, not by the rules alone.
    assert systems.count(JUDGE_SYSTEM) >= len(rows)
    assert "generator" in done.stderr.decode()


def written(out: Path) -> int:
    manifest = read_manifest(out) if out.exists() else None
    return sum(f.samples for f in manifest.files) if manifest else 0


def test_ctrl_c_stops_cleanly_with_everything_written_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # No --count: the run would go on for ever; Ctrl-C (SIGINT) is how it ends.
    with subprocess.Popen(
        [*CLI, "run", "--out", str(out)], cwd=tmp_path, env=clean_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        deadline = time.monotonic() + HANG_S
        while time.monotonic() < deadline and written(out) < 20:
            assert proc.poll() is None
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr[-3000:]
    manifest = read_manifest(out)
    assert manifest is not None
    rows = list(read_rows(out))
    assert len(rows) >= 20
    assert sum(f.samples for f in manifest.files) == len(rows)
    for line in (out / manifest.files[-1].name).read_text().splitlines():
        json.loads(line)  # no torn line
    assert f"wrote {len(rows)} samples" in stderr


def test_the_embedded_seed_pool_takes_only_samples_over_tools_in_view(tmp_path: Path) -> None:
    # The rule the sampler service applies to what it feeds its pool (``usable_example``).
    from apigen_stream.config import Config
    from apigen_stream.library.load import load_registry
    from apigen_stream.pipeline import Pipeline
    from apigen_stream.records import Call, Sample, Tool

    config = Config()
    pipeline = Pipeline(config, load_registry(config.library, {}), out=tmp_path, fmt="xlam",
                        wanted=0, stream=io.StringIO())  # fmt: skip
    known = next(iter(load_registry(config.library, {}))).tool()
    foreign = Tool(name="not_in_the_library", parameters={"type": "object", "properties": {}})
    before = len(pipeline._pool.examples())
    for i, tool in enumerate((foreign, known)):
        sample = Sample(id=f"s{i}", style="simple", query=f"q{i}",
                        calls=[Call(name=tool.name, arguments={})], tools=[tool])  # fmt: skip
        pipeline._accepted(sample)
    fresh = pipeline._pool.examples()[before:]
    pipeline._writer.close()
    pipeline._rejected_log.close()
    assert [e.calls[0].name for e in fresh] == [known.name]


def test_a_kill_mid_run_leaves_the_manifest_and_the_files_in_agreement(tmp_path: Path) -> None:
    # Samples are committed in groups off the event loop; a SIGKILL between an append and its
    # manifest must leave nothing the manifest does not account for, once reopened.
    from apigen_stream.export.files import DatasetWriter

    out = tmp_path / "out"
    with subprocess.Popen(
        [*CLI, "run", "--out", str(out)], cwd=tmp_path, env=clean_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ) as proc:  # fmt: skip
        deadline = time.monotonic() + HANG_S
        while time.monotonic() < deadline and written(out) < 30:
            assert proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    manifest = read_manifest(out)
    assert manifest is not None and manifest.samples >= 30
    rows = list(read_rows(out))
    assert len(rows) == manifest.samples
    assert len({r["id"] for r in rows}) == len(rows)
    # The next writer truncates any unrecorded tail: the file then holds exactly those rows.
    DatasetWriter(out, format="xlam").close()
    current = out / manifest.files[-1].name
    assert current.stat().st_size == manifest.files[-1].bytes
    lines = current.read_text().splitlines()
    assert len(lines) == manifest.files[-1].samples
    for line in lines:
        json.loads(line)
    for line in (out / "rejected.jsonl").read_text().splitlines():
        json.loads(line)  # whole lines only
