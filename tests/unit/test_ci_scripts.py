"""The CI scripts parse, and ``make image-test`` says clearly that it skips without podman."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = ["run", "wheel-test", "image-test", "base-image"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_is_executable_bash_that_parses(name: str) -> None:
    script = REPO / ".ci" / name
    assert script.stat().st_mode & 0o111, f"{name} is not executable"
    text = script.read_text()
    assert text.startswith("#!/usr/bin/env bash\n") and "\nset -euo pipefail\n" in text
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_image_test_without_podman_says_it_skips(tmp_path: Path) -> None:
    # A PATH with only what the script needs before it looks for podman.
    bash, dirname = shutil.which("bash"), shutil.which("dirname")
    assert bash is not None and dirname is not None
    (tmp_path / "dirname").symlink_to(dirname)
    done = subprocess.run([bash, str(REPO / ".ci" / "image-test")], env={"PATH": str(tmp_path)},
                          capture_output=True, text=True, check=False, timeout=30)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "image-test: SKIPPED: podman is not installed (apt-get install podman runc debootstrap)"
    )
