"""``promtool`` over ``deploy/prometheus``: the rules load, and their unit tests pass and cover
every recording rule and alert. Skipped, with the reason, where promtool is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool")

needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (Debian package prometheus)"
)


def _yaml(name: str) -> Any:
    return yaml.safe_load((PROMETHEUS / name).read_text())


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


@needs_promtool
def test_promtool_checks_the_rules_and_the_config() -> None:
    done = _promtool("check", "rules", "rules.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _promtool("check", "config", "prometheus-up.yml")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_promtool
def test_promtool_unit_tests_of_the_rules_pass() -> None:
    done = _promtool("test", "rules", "rules.test.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_recording_rule_and_alert_has_a_unit_test() -> None:
    rules = [r for group in _yaml("rules.yml")["groups"] for r in group["rules"]]
    tests = _yaml("rules.test.yml")["tests"]
    tested_exprs = {t["expr"] for case in tests for t in case.get("promql_expr_test", [])}
    # An alert is tested when some case expects it to fire, not only to stay quiet.
    fired = {t["alertname"] for case in tests for t in case.get("alert_rule_test", [])
             if t["exp_alerts"]}  # fmt: skip
    assert {r["record"] for r in rules if "record" in r} <= tested_exprs
    assert {r["alert"] for r in rules if "alert" in r} <= fired
