"""The Dockerfile and the manifests in ``deploy/`` use one image, checked by real tools offline.

``kubectl kustomize`` renders ``deploy/k8s``; every rendered object validates against the
Kubernetes API schemas bundled with ``kubernetes-validate``; ``podman-compose config`` reads the
compose file. Custom resources (KEDA's ScaledObject) have no bundled schema and are checked
against the objects they name instead.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from apigen_stream import __version__

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
IMAGE = f"apigen-stream:{__version__}"
K8S_VERSION = kubernetes_validate.latest_version()
# Kinds defined by CRDs, whose schemas no validator bundles.
CUSTOM_KINDS = {"ScaledObject"}


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: cannot render deploy/k8s with kustomize")
    done = subprocess.run([kubectl, "kustomize", str(DEPLOY / "k8s")], capture_output=True,
                          text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def _deployments(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] == "Deployment"]


def _dockerfile_user() -> str:
    users: list[str] = re.findall(r"^USER\s+(\S+)", (REPO / "Dockerfile").read_text(), re.M)
    return users[-1].split(":")[0]


def test_every_rendered_object_validates_against_the_api_schemas(
    rendered: list[dict[str, Any]],
) -> None:
    validated = []
    for obj in rendered:
        if obj["kind"] in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        validated.append(obj["kind"])
    assert sorted(set(validated)) == ["ConfigMap", "Deployment", "Namespace"]
    assert len(_deployments(rendered)) == 6


def test_the_validator_rejects_a_broken_deployment(rendered: list[dict[str, Any]]) -> None:
    broken = copy.deepcopy(_deployments(rendered)[0])
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)
    unknown = copy.deepcopy(_deployments(rendered)[0])
    unknown["spec"]["template"]["spec"]["containers"][0]["imagee"] = IMAGE
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(unknown, K8S_VERSION, strict=True)


def test_the_autoscaler_targets_a_rendered_deployment(rendered: list[dict[str, Any]]) -> None:
    names = {obj["metadata"]["name"] for obj in _deployments(rendered)}
    scaled = [obj for obj in rendered if obj["kind"] in CUSTOM_KINDS]
    assert [obj["spec"]["scaleTargetRef"]["name"] for obj in scaled] == ["apigen-execute"]
    assert {obj["spec"]["scaleTargetRef"]["name"] for obj in scaled} <= names


def test_every_stage_runs_the_image_as_its_non_root_user(rendered: list[dict[str, Any]]) -> None:
    for deployment in _deployments(rendered):
        pod = deployment["spec"]["template"]["spec"]
        assert [c["image"] for c in pod["containers"]] == [IMAGE]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert str(pod["securityContext"]["runAsUser"]) == _dockerfile_user()


def test_dockerfile_is_multi_stage_slim_non_root_with_the_cli_as_entrypoint() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE=python:3\.11-slim$", text, re.MULTILINE)
    assert len(re.findall(r"^FROM \$\{BASE\}", text, re.MULTILINE)) == 2
    assert _dockerfile_user() not in {"0", "root"} and _dockerfile_user().isdigit()
    assert '\nENTRYPOINT ["apigen-stream"]\n' in text


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    return loaded


def test_compose_services_use_the_image_and_install_nothing_at_start() -> None:
    services = _compose()["services"]
    ours = {name: s for name, s in services.items() if s.get("image") == IMAGE}
    assert {"topics", "generate", "format", "dedup", "execute", "semantic", "sampler"} <= set(ours)
    for name, service in ours.items():
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
        assert "entrypoint" not in service, name
        assert "pip install" not in yaml.safe_dump(service), name
        assert set(service.get("depends_on", {})) <= set(services), name


def test_podman_compose_reads_the_compose_file() -> None:
    try:
        import podman_compose  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        pytest.skip("podman-compose is not installed (it is in the dev extra)")
    # The pipeline profile: without it, only the broker and the topics job are resolved.
    command = [sys.executable, "-m", "podman_compose", "-f", "docker-compose.yml",
               "--profile", "pipeline", "config"]  # fmt: skip
    done = subprocess.run(command, cwd=DEPLOY, capture_output=True, text=True, check=False,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]
    assert resolved["execute"]["image"] == IMAGE
    assert resolved["execute"]["environment"]["APIGEN__KAFKA__BOOTSTRAP"] == "kafka:19092"
