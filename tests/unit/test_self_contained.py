"""The repository stands alone: no file in it reaches outside its own tree or names this machine.

A fresh clone with nothing beside it must pass its own suite, so a climb to a sibling folder
(data that lived next to the checkout) or an absolute path of one machine must not creep back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.data import DATA

ROOT = Path(__file__).resolve().parents[2]
# A relative climb out of the tree to a sibling folder, or this kind of machine's work folder.
OUTSIDE = re.compile(r'\.\./shared|"\.\."\s*/\s*"shared"|(?<![\w.])/wor[k]/')
SKIPPED_SUFFIXES = {".png", ".jar", ".tgz", ".gz"}


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (or git missing): cannot list the tracked files")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode()  # fmt: skip
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_reaches_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_files():
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_the_pattern_catches_what_it_is_for() -> None:
    # Built from pieces, so that this file does not match its own check.
    climb, sibling = "..", "shared"
    assert OUTSIDE.search(f'DATA = ROOT / "{climb}" / "{sibling}" / "data"')
    assert OUTSIDE.search(f"read {climb}/{sibling}/data/x.json")
    assert OUTSIDE.search("cd /" + "work/main && make")
    assert OUTSIDE.search("see https://example.org/" + "work/x") is None
    assert OUTSIDE.search('DATA = ROOT / "tests" / "data"') is None


def test_third_party_data_is_in_the_tree_with_its_notice() -> None:
    assert DATA.is_relative_to(ROOT)
    notice = (DATA / "NOTICE").read_text()
    for name in ("BFCL_v3_simple.json", "BFCL_v3_multiple.json", "xlam_samples.json"):
        assert name in notice
        assert any(DATA.rglob(name)), name
    assert "Apache License 2.0" in notice and "CC BY 4.0" in notice
