"""``apigen-stream top`` in a real terminal (tmux) against ``up``: the screen's figures are the
topics' counts.

``up --stay`` runs a small count and stays up once everything went through; ``top`` then reads
its services' metrics (the target file ``up`` wrote) and the groups' records behind. Every
figure on the screen is checked against this run's records on the topics.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from apigen_stream import topics
from apigen_stream.engine.codec import decode
from apigen_stream.records import Rejection
from apigen_stream.services.sampler import task_prefix
from apigen_stream.topview import COLUMNS
from tests.integration.test_funnel import skip_backlog
from tests.integration.test_sampler_service import unique_seed
from tests.integration.test_up import REPO, this_run, up, write_config

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt tmux)"),
]

TASKS = 30
# Each stage's output topic: what it accepted.
OUTPUTS = {
    "sampler": topics.TASKS, "generate": topics.CANDIDATES, "format": topics.FORMATTED,
    "dedup": topics.UNIQUE, "execute": topics.EXECUTED, "semantic": topics.ACCEPTED,
}  # fmt: skip
SCREEN_TIMEOUT_S = 60.0


def screen_rows(screen: str) -> dict[str, dict[str, str]]:
    """The table's rows by stage, each a mapping of column name to cell text."""
    found = {}
    for line in screen.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(COLUMNS) and cells[0] in (*OUTPUTS, "sink"):
            found[cells[0]] = dict(zip(COLUMNS, cells, strict=True))
    return found


class Tmux:
    """A tmux server of this test's own (its own socket), killed at the end."""

    def __init__(self) -> None:
        self.socket = f"apigen-top-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True, timeout=30)  # fmt: skip
        return done.stdout

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False, timeout=30)  # fmt: skip


def expected_counts(bootstrap: str, prefix: str) -> tuple[Counter[str], dict[str, int]]:
    """This run's rejections by stage, and each stage's accepted outputs."""
    rejected = Counter(decode(Rejection, v).stage
                       for v in this_run(bootstrap, topics.REJECTED, prefix))  # fmt: skip
    outputs = {stage: len(this_run(bootstrap, topic, prefix)) for stage, topic in OUTPUTS.items()}
    return rejected, outputs


def test_top_under_tmux_shows_the_topics_counts(kafka_bootstrap: str, tmp_path: Path) -> None:
    seed = unique_seed()
    prefix = task_prefix(seed)
    config = write_config(tmp_path / "up.toml", seed)
    out = tmp_path / "dataset"
    asyncio.run(skip_backlog(kafka_bootstrap))
    tmux = Tmux()
    with up("--bootstrap", kafka_bootstrap, "--config", str(config), "--out", str(out),
            "--count", str(TASKS), "--stay", "--replicas", "execute=2") as running:  # fmt: skip
        running.wait_for(r"drained: every record handled; staying up")
        rejected, outputs = expected_counts(kafka_bootstrap, prefix)
        assert outputs["sampler"] == TASKS and outputs["semantic"] > 0
        # The terminal's own size, not one inherited from the environment.
        command = (f"env -u COLUMNS -u LINES {sys.executable} -m apigen_stream.cli top "
                   f"--targets {out / 'targets.json'} "
                   f"--bootstrap {kafka_bootstrap} --interval 1")  # fmt: skip
        try:
            tmux.run("-f", "/dev/null", "new-session", "-d", "-s", "top", "-x", "220", "-y", "40",
                     "-c", str(REPO), command)  # fmt: skip
            shown = wait_for_screen(tmux)
        finally:
            tmux.close()
        # The sampler finished and exited: its metrics went with it.
        assert shown["sampler"]["replicas"] == "0"
        for stage, accepted in outputs.items():
            if stage == "sampler":
                continue
            row = shown[stage]
            assert int(row["rejected"]) == rejected[stage], (stage, row)
            assert int(row["handled"]) == accepted + rejected[stage], (stage, row)
            assert row["dead"] == "0"
        for stage in ("generate", "format", "dedup", "execute", "semantic", "sink"):
            assert shown[stage]["behind"] == "0", (stage, shown[stage])
        assert shown["execute"]["replicas"] == "2"
        assert shown["format"]["replicas"] == shown["sink"]["replicas"] == "1"
        if rejected["dedup"]:
            assert shown["dedup"]["top reasons"].startswith("duplicate")
        check_plain_lines(out / "targets.json", outputs["semantic"] + rejected["semantic"])
        assert running.stop() == 0, running.text()


def check_plain_lines(targets: Path, semantic_handled: int) -> None:
    """Not on a terminal: plain lines, one a stage."""
    plain = subprocess.run(
        [sys.executable, "-m", "apigen_stream.cli", "top", "--targets", str(targets),
         "--interval", "0.5", "--iterations", "1"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert [line.split()[1] for line in plain] == [*OUTPUTS, "sink"]
    assert "execute replicas=2 " in plain[4]
    assert f"handled={semantic_handled}" in plain[5]


def wait_for_screen(tmux: Tmux) -> dict[str, dict[str, str]]:
    """The screen's rows once the view shows every stage with its records behind counted."""
    deadline = time.monotonic() + SCREEN_TIMEOUT_S
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux.run("capture-pane", "-p", "-t", "top")
        shown = screen_rows(screen)
        if len(shown) == len(OUTPUTS) + 1 and shown["sink"]["behind"] != "-":
            return shown
        time.sleep(0.5)
    pytest.fail(f"top did not show every stage within {SCREEN_TIMEOUT_S:g}s:\n{screen}")
