"""A real Prometheus scraping a real pipeline run over Kafka, with the repository's own rules.

``up`` runs every stage (no sampler of its own) and writes the ``file_sd`` target file that
Prometheus (1 s scrapes and rule evaluations) discovers them from. Once every stage has been
scraped, a sampler feeds tasks at a steady rate to the phased generator
(``tests.support.phases``): good, then faulty for a stretch, then good again. Then:

- ``ApigenRejectionRateHigh`` (the rules file's, with a test-sized ``for``) fires for the format
  stage during the faulty stretch, and resolves after it;
- the rejection-rate recording rule per stage equals rejected / handled counted on the topics
  for this run (its 5-minute window covers the whole run; every series starts at 0, so no
  first increase is lost);
- every query of the Grafana dashboard returns data.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigen_stream import topics
from apigen_stream.broker.backlog import group_states
from apigen_stream.broker.local import free_port
from apigen_stream.engine.codec import decode
from apigen_stream.records import Rejection
from apigen_stream.services.sampler import task_prefix
from apigen_stream.spec import PIPELINE
from tests.integration.test_funnel import skip_backlog
from tests.integration.test_sampler_service import sampler_command, unique_seed
from tests.integration.test_up import REPO, this_run, up
from tests.support import configs
from tests.support.phases import FAULTY_TO
from tests.support.procs import started

PROMETHEUS = shutil.which("prometheus")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(PROMETHEUS is None,
                       reason="prometheus is not installed (Debian package prometheus)"),
]  # fmt: skip

DEPLOY = REPO / "deploy"
TASKS = 180
RATE = 10.0
PAIRS = 2
ALERT = "ApigenRejectionRateHigh"
# Test-sized: the rule's own 15 minutes would outlast the test.
ALERT_FOR = "2s"
STAGES = ("generate", "format", "dedup", "execute", "semantic")
OUTPUTS = {stage.name: stage.output_topic for stage in PIPELINE.stages}
WAIT_S = 180.0


def write_config(path: Path, bootstrap: str, base_url: str, seed: int) -> Path:
    return configs.write_config(
        path,
        configs.kafka(bootstrap, batch_size=20, retry_backoff_s=0.05),
        configs.scripted_llm(base_url, backoff_s=0.01, pairs_per_request=PAIRS),
        configs.sampler(seed, rate=RATE, styles={"simple": 1.0}),
        configs.sandbox(1, 2.0),
        configs.library("tests.support.funnel_tools"),
    )


def test_rules(directory: Path) -> Path:
    """rules.yml with the rejection-rate alert's ``for`` made test-sized."""
    rules = yaml.safe_load((DEPLOY / "prometheus" / "rules.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == ALERT:
                rule["for"] = ALERT_FOR
    path = directory / "rules.yml"
    path.write_text(yaml.safe_dump(rules))
    return path


test_rules.__test__ = False  # type: ignore[attr-defined]


def prometheus_config(directory: Path, targets: Path) -> Path:
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(test_rules(directory))],
        "scrape_configs": [{
            "job_name": "apigen-stream",
            "file_sd_configs": [{"files": [str(targets)], "refresh_interval": "1s"}],
        }],
    }  # fmt: skip
    path = directory / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


class Prometheus:
    """Queries to the Prometheus at ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str, **params: str) -> Any:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=10) as response:
            body: dict[str, Any] = json.loads(response.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get("/api/v1/query", query=expr)["result"]
        return result

    def firing(self, alert: str) -> list[dict[str, str]]:
        alerts = self.get("/api/v1/alerts")["alerts"]
        return [a["labels"] for a in alerts
                if a["labels"]["alertname"] == alert and a["state"] == "firing"]  # fmt: skip

    def wait_ready(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.base}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail("Prometheus did not get ready within 60 s")


def start_llm(stack: ExitStack, scenario: str) -> str:
    """The scripted LLM server as its own process; returns its base URL."""
    command = [sys.executable, "-m", "tests.support.fake_llm", "--port", "0",
               "--scenario", scenario]  # fmt: skip
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    stack.callback(_stop, proc)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("base_url="), line
    return line.removeprefix("base_url=")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def wait_until(check: Any, what: str, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout_s:g}s")
        time.sleep(0.5)


def drained(bootstrap: str) -> bool:
    states = asyncio.run(group_states(bootstrap))
    return all(s.behind == 0 and s.exact for g, s in states.items() if g in STAGES)


def test_prometheus_rules_and_dashboard_over_a_real_run(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    assert PROMETHEUS is not None
    seed = unique_seed()
    prefix = task_prefix(seed)
    out = tmp_path / "dataset"
    targets = tmp_path / "targets.json"
    asyncio.run(skip_backlog(kafka_bootstrap))
    with ExitStack() as stack:
        config = write_config(tmp_path / "run.toml", kafka_bootstrap, start_llm(stack, "phases"),
                              seed)  # fmt: skip
        running = stack.enter_context(up(
            "--bootstrap", kafka_bootstrap, "--config", str(config), "--out", str(out),
            "--targets", str(targets), "--replicas", "sampler=0",
            env={"OPENAI_API_KEY": "test"},  # secrets never in the TOML
        ))  # fmt: skip
        prometheus = start_prometheus(stack, tmp_path, targets)
        # Every stage scraped at least once (its series at 0) before the first task.
        wait_until(lambda: len(prometheus.query('up{job="apigen-stream"} == 1')) == 6,
                   f"every target up: {running.text()}")  # fmt: skip
        sampler = stack.enter_context(
            started(sampler_command(config, TASKS), tmp_path / "sampler.log")
        )
        wait_until(lambda: {"stage": "format"} in _stages(prometheus.firing(ALERT)),
                   f"{ALERT} firing for the format stage")  # fmt: skip
        assert _stages(prometheus.firing(ALERT)) == [{"stage": "format"}]
        # It fired while the faulty tasks were coming in, and ends after them.
        wait_until(lambda: not prometheus.firing(ALERT), f"{ALERT} resolved")
        assert len(this_run(kafka_bootstrap, topics.TASKS, prefix)) >= FAULTY_TO
        assert sampler.wait(timeout=WAIT_S) == 0
        wait_until(lambda: drained(kafka_bootstrap), "every record handled")
        time.sleep(3)  # a few more scrapes and evaluations of the final counters
        rule = "stage:apigen_rejection_rate:ratio_rate5m"
        recorded = {r["metric"]["stage"]: float(r["value"][1]) for r in prometheus.query(rule)}
        expected = expected_rates(kafka_bootstrap, prefix)
        assert expected["format"] > 0.25
        for stage in STAGES:
            assert recorded[stage] == pytest.approx(expected[stage], rel=1e-9, abs=1e-12), stage
        print(f"rejection rate per stage, recorded {recorded}, on the topics {expected}")
        empty = [expr for expr in dashboard_exprs() if not prometheus.query(expr)]
        assert empty == [], "dashboard queries without data"
        assert running.stop() == 0, running.text()


def start_prometheus(stack: ExitStack, directory: Path, targets: Path) -> Prometheus:
    """A Prometheus on a free port of 127.0.0.1, stopped when ``stack`` closes."""
    assert PROMETHEUS is not None
    port = free_port()
    command = [PROMETHEUS, f"--config.file={prometheus_config(directory, targets)}",
               f"--storage.tsdb.path={directory / 'tsdb'}", "--log.level=warn",
               f"--web.listen-address=127.0.0.1:{port}"]  # fmt: skip
    log = directory / "prometheus.log"
    proc = stack.enter_context(started(command, log))
    prometheus = Prometheus(f"http://127.0.0.1:{port}")
    prometheus.wait_ready(proc, log)
    return prometheus


def _stages(labels: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"stage": x["stage"]} for x in labels]


def expected_rates(bootstrap: str, prefix: str) -> dict[str, float]:
    """Rejected over handled per stage, counted on the topics for this run."""
    rejected = dict.fromkeys(STAGES, 0)
    for value in this_run(bootstrap, topics.REJECTED, prefix):
        rejected[decode(Rejection, value).stage] += 1
    assert this_run(bootstrap, topics.DLQ, prefix) == []
    rates = {}
    for stage, topic in OUTPUTS.items():
        handled = rejected[stage] + len(this_run(bootstrap, topic, prefix))
        rates[stage] = rejected[stage] / handled
    return rates


def dashboard_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "apigen-stream.json").read_text())
    return [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
