"""Quality gates of the shipped library: unique names, no near-duplicates, every category
populated, seed examples that really execute with their recorded result (a seeded sample here;
``python -m bench harvested`` walks all of them), and the file's hash in the library version."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import anyio
import msgspec
import pytest

from apigen_stream.config import LibraryConfig, SamplerConfig, SandboxConfig
from apigen_stream.errors import ToolImportError
from apigen_stream.export import xlam
from apigen_stream.export.files import read_rows
from apigen_stream.library import harvested
from apigen_stream.library.harvest_run import near_duplicate_key
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import CATEGORIES, Api
from apigen_stream.records import Outcome
from apigen_stream.sampling import PAPER_CATEGORY_SHARES, LibraryView, SeedPool, sample_task
from apigen_stream.sandbox.pool import SandboxPool

# The paper's library (APIGen, section 3) and its smallest category in our gate.
PAPER_APIS = 3_673
MIN_PER_CATEGORY = 40
# Seed examples re-run per test run: enough to catch a broken package, cheap on two cores.
SAMPLED_SEEDS = 120


def full_registry() -> list[Api]:
    return list(load_registry(LibraryConfig(), {}))


def shipped() -> list[Api]:
    return list(harvested.load_harvested())


def test_names_are_unique_across_the_whole_library() -> None:
    apis = full_registry()  # load_registry refuses two tools of one name
    assert len({a.name for a in apis}) == len(apis)
    assert len(shipped()) > 0


def test_no_two_apis_are_near_duplicates() -> None:
    keys: dict[tuple[str, ...], str] = {}
    for entry in full_registry():
        key = near_duplicate_key(entry.description, entry.parameters)
        assert key not in keys, f"{entry.name} and {keys[key]} are near-duplicates"
        keys[key] = entry.name


def test_every_harvested_api_is_executable_with_a_recorded_seed() -> None:
    for entry in shipped():
        assert entry.kind == "python" and entry.target and entry.category in CATEGORIES
        assert len(entry.examples) == 1 and entry.seed_result not in (None, "", [], {})
        assert not entry.templates  # for LLM generation only
        call = entry.examples[0].calls[0]
        assert call.name == entry.name
        assert set(entry.parameters["required"]) <= set(call.arguments)


def _shortfall() -> str:
    apis = full_registry()
    counts = {c: sum(a.category == c for a in apis) for c in CATEGORIES}
    short = {c: n for c, n in counts.items() if n < MIN_PER_CATEGORY}
    return f"{len(apis)} APIs; categories under {MIN_PER_CATEGORY}: {short}"


def test_the_library_reaches_the_papers_scale() -> None:
    assert len(full_registry()) >= PAPER_APIS, _shortfall()


def test_every_category_has_at_least_40_apis() -> None:
    apis = full_registry()
    counts = {c: sum(a.category == c for a in apis) for c in CATEGORIES}
    assert min(counts.values()) >= MIN_PER_CATEGORY, _shortfall()


def test_the_configured_weights_test_uses_categories_with_enough_apis() -> None:
    # The embedded-run test below weights Finance against Music: both must stay well filled.
    counts = Counter(a.category for a in full_registry())
    assert counts["Finance"] >= MIN_PER_CATEGORY and counts["Music"] >= MIN_PER_CATEGORY


async def _run_seeds(apis: list[Api]) -> list[tuple[Api, Outcome]]:
    ordered = sorted(apis, key=lambda a: a.target)
    calls = [(a.target, a.name, a.examples[0].calls[0].arguments) for a in ordered]
    # A generous wall-time limit: a cold worker imports each package inside its first call, and
    # this test checks results, not speed (``bench harvested`` times the walk). The harvested
    # targets are reviewed, as in the execute stage: their calls share a fork per batch, of the
    # pool's default size, all ~55 packages side by side (the template imports them before it
    # forks, and each call's memory budget comes on top of what it holds).
    config = SandboxConfig(workers=2, timeout_s=30.0)
    reviewed = {a.target for a in apis}
    async with SandboxPool(config, reviewed=reviewed) as pool:
        outcomes = await pool.run_many(calls)
    return list(zip(ordered, outcomes, strict=True))


def package_of(entry: Api) -> str:
    """The harvested package a tool calls (through ``by_position`` for positional-only ones)."""
    module, _, attr = entry.target.partition(":")
    return (attr if module.endswith(".by_position") else module).split(".")[0]


def seed_sample(apis: list[Api], size: int, seed: int) -> list[Api]:
    """One API of every package, then a seeded random choice of the rest up to ``size``: a
    package added to the harvest is in the sample from its first run."""
    rng = random.Random(seed)
    by_package: dict[str, list[Api]] = {}
    for entry in apis:
        by_package.setdefault(package_of(entry), []).append(entry)
    chosen = [rng.choice(group) for _, group in sorted(by_package.items())]
    names = {a.name for a in chosen}
    rest = [a for a in apis if a.name not in names]
    return chosen + rng.sample(rest, max(0, min(size - len(chosen), len(rest))))


def test_the_seed_sample_covers_every_harvested_package() -> None:
    apis = shipped()
    packages = {package_of(a) for a in apis}
    # The file's own package names: the sample's grouping finds each of them.
    document, _ = harvested.read(harvested.HARVESTED_FILE)
    assert packages == {e.package.split(".")[0] for e in document.apis}
    sample = seed_sample(apis, SAMPLED_SEEDS, 14)
    assert {package_of(a) for a in sample} == packages
    assert len(sample) == max(SAMPLED_SEEDS, len(packages))
    assert len({a.name for a in sample}) == len(sample)


def test_a_sample_of_seed_examples_executes_with_the_recorded_result() -> None:
    chosen = seed_sample(shipped(), SAMPLED_SEEDS, 14)
    mismatched = [
        (a.name, o.reason, o.detail[:200], o.result, a.seed_result)
        for a, o in anyio.run(_run_seeds, chosen)
        if not o.ok or o.result != a.seed_result
    ]
    assert mismatched == []


def test_the_files_hash_is_in_every_harvested_version_and_the_library_version(
    tmp_path: Path,
) -> None:
    document, digest = harvested.read(harvested.HARVESTED_FILE)
    assert {a.version for a in shipped()} == {digest[:12]}
    changed = msgspec.structs.replace(document.apis[0], description="Changed for the test.")
    copy = tmp_path / "copy.json"
    harvested.write(copy, [changed, *document.apis[1:]], document.packages, document.report)
    other = harvested.load_harvested(str(copy))
    assert {a.version for a in other} == {harvested.file_digest(copy)} != {digest[:12]}
    with_file = load_registry(LibraryConfig(), {}).version
    without = load_registry(LibraryConfig(harvested=False), {}).version
    assert with_file != without


def test_the_file_is_one_api_per_line_sorted_by_name() -> None:
    lines = harvested.HARVESTED_FILE.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"arguments"')]
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    assert len(rows) == len(shipped())


def test_a_broken_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "apis": "no"}', encoding="utf-8")
    with pytest.raises(ToolImportError, match="not a harvested library file"):
        harvested.read(bad)


def test_the_sampler_spreads_the_full_library_by_the_papers_shares() -> None:
    registry = load_registry(LibraryConfig(), {})
    view = LibraryView.of(registry)  # an LLM run: harvested APIs are offered too
    config = msgspec.structs.replace(SamplerConfig(seed=3), styles={"simple": 1.0})
    tasks = 6_000
    counts: Counter[str] = Counter()
    offered: set[str] = set()
    for i in range(tasks):
        tool = sample_task(i, config, view, SeedPool(()), pairs=1, now=0.0).tools[0]
        counts[tool.category] += 1
        offered.add(tool.name)
    total_share = sum(PAPER_CATEGORY_SHARES[c] for c in view.by_category)
    for category in view.by_category:
        expected = PAPER_CATEGORY_SHARES[category] / total_share
        assert counts[category] / tasks == pytest.approx(expected, abs=0.015), category
    harvested_names = {a.name for a in shipped()}
    assert offered & harvested_names  # harvested APIs reach LLM tasks


def test_embedded_run_with_the_full_library_follows_the_configured_weights(
    tmp_path: Path,
) -> None:
    config = tmp_path / "apigen.toml"
    config.write_text(
        "[sampler]\nstyles = { simple = 1.0 }\ncategory_weights = { Finance = 3.0, Music = 1.0 }\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "APIGEN__"))}
    done = subprocess.run(
        [sys.executable, "-m", "apigen_stream.cli", "run", "--config", str(config),
         "--count", "60", "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    category_of = {a.name: a.category for a in full_registry()}
    categories: Counter[str] = Counter()
    for row in read_rows(out):
        sample = xlam.from_row(row)
        categories[category_of[sample.tools[0].name]] += 1
    assert set(categories) <= {"Finance", "Music"}
    assert sum(categories.values()) == 60, done.stderr[-3000:]
    assert categories["Finance"] > categories["Music"] > 0
