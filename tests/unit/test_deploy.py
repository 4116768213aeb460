"""The files in ``deploy/`` name only metrics that exist and broker settings we actually use."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import Counter, Gauge, Histogram

from apigen_stream import metrics
from apigen_stream.broker.files import SINGLE_NODE_SETTINGS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# A raw metric name, not part of a recording rule's level:name:operation name.
METRIC_NAME = re.compile(r"(?<![:\w])apigen_[a-z0-9_]+(?![:\w])")
RECORDED_NAME = re.compile(r"\b[a-z_]+:apigen_[a-z0-9_:]+")


def _exported_names() -> set[str]:
    names: set[str] = set()
    for value in vars(metrics).values():
        if isinstance(value, Counter):
            names.add(f"{value._name}_total")
        elif isinstance(value, Histogram):
            names |= {f"{value._name}_{suffix}" for suffix in ("bucket", "sum", "count")}
        elif isinstance(value, Gauge):
            names.add(value._name)
    return names


def _rules() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "prometheus" / "rules.yml").read_text())
    return loaded


def _dashboard_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "apigen-stream.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def test_rules_and_dashboard_use_only_defined_metrics() -> None:
    exported = _exported_names()
    assert "apigen_records_total" in exported and "apigen_handler_seconds_bucket" in exported
    rules = [rule for group in _rules()["groups"] for rule in group["rules"]]
    texts = [rule["expr"] for rule in rules] + _dashboard_exprs()
    used = {name for text in texts for name in METRIC_NAME.findall(text)}
    assert used, "no metric names found: the pattern is wrong"
    assert used - exported == set()


def test_dashboard_uses_only_recorded_series_that_exist() -> None:
    recorded = {rule["record"] for group in _rules()["groups"] for rule in group["rules"]
                if "record" in rule}  # fmt: skip
    used = {name for expr in _dashboard_exprs() for name in RECORDED_NAME.findall(expr)}
    assert "stage:apigen_rejection_rate:ratio_rate5m" in used
    assert used - recorded == set()


def test_rejection_rate_rule_is_rejected_over_all_by_stage() -> None:
    rules = {rule.get("record"): rule for group in _rules()["groups"] for rule in group["rules"]}
    expr = " ".join(rules["stage:apigen_rejection_rate:ratio_rate5m"]["expr"].split())
    assert expr == (
        'sum by (stage) (rate(apigen_records_total{outcome="rejected"}[5m])) / '
        "sum by (stage) (rate(apigen_records_total[5m]))"
    )


def test_alerts_cover_rejections_dead_letters_lag_and_down_stages() -> None:
    alerts = {rule["alert"] for group in _rules()["groups"] for rule in group["rules"]
              if "alert" in rule}  # fmt: skip
    expected = {"ApigenRejectionRateHigh", "ApigenDeadLetters", "ApigenConsumerLagGrowing"}
    assert expected | {"ApigenStageDown"} <= alerts


def test_compose_broker_has_the_local_broker_settings() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == "apache/kafka:3.9.1"
    env = {key: str(value) for key, value in kafka["environment"].items()}
    for key, value in SINGLE_NODE_SETTINGS.items():
        if "listener" not in key:  # compose adds a listener for other containers
            assert env["KAFKA_" + key.upper().replace(".", "_")] == value, key
    assert compose["services"]["topics"]["command"][:2] == ["topics", "apply"]
