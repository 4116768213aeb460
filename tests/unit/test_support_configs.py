"""The tests' config builder writes TOML that reads back as what it was given."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from apigen_stream.config import load_config
from tests.support.configs import kafka, library, merged, sampler, sandbox, scripted_llm, toml
from tests.support.configs import write_config as write


def test_the_text_reads_back_as_the_sections_given() -> None:
    sections = merged(
        kafka("127.0.0.1:9092", batch_size=50, retry_backoff_s=0.05),
        scripted_llm('http://127.0.0.1:1/v1?q="x"', pairs_per_request=2),
        sampler(7, rate=0.0, styles={"simple": 1.0}),
        sandbox(4, 1.0),
        library("tests.support.funnel_tools"),
    )
    assert tomllib.loads(toml(sections)) == sections


def test_a_later_part_wins_per_setting_and_keeps_the_others() -> None:
    sections = merged(kafka("b:1", batch_size=50), kafka(batch_size=20, concurrency=16))
    assert sections == {"kafka": {"bootstrap": "b:1", "batch_size": 20, "concurrency": 16}}


def test_the_project_reads_a_written_config(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", kafka(batch_size=20), sampler(3),
                 sandbox(1, 2.0), library("tests.support.cheap_tools"))  # fmt: skip
    config = load_config(str(path))
    assert (config.kafka.batch_size, config.sampler.seed, config.sandbox.workers) == (20, 3, 1)
    assert config.library.python_modules == ["tests.support.cheap_tools"]


def test_a_value_with_no_toml_form_is_refused() -> None:
    with pytest.raises(TypeError, match="no TOML form for NoneType"):
        toml({"kafka": {"bootstrap": None}})
