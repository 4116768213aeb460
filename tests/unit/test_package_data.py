"""Package data ships inside ``apigen_stream`` and nothing is read at import time."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from apigen_stream.broker import files as broker_files
from apigen_stream.broker.local import CACHE_ENV, default_cache_dir
from apigen_stream.errors import ConfigError
from apigen_stream.topics import packaged_topics_file, topic_specs

REPO = Path(__file__).resolve().parents[2]
# Imports every module of the package, then says whether topics.toml was read meanwhile.
IMPORT_ALL = """
import importlib, pkgutil, apigen_stream
from apigen_stream import topics
names = [m.name for m in pkgutil.walk_packages(apigen_stream.__path__, "apigen_stream.")]
for name in names:
    importlib.import_module(name)
print(len(names), topics.topic_specs.cache_info().misses)
"""


def test_importing_every_module_reads_no_topic_definitions() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    modules, reads = map(int, done.stdout.split())
    assert modules > 50 and reads == 0


def test_topic_definitions_come_from_inside_the_package() -> None:
    packaged = packaged_topics_file()
    assert Path(str(packaged)).is_relative_to(REPO / "apigen_stream")
    assert set(topic_specs()) == set(tomllib.loads(packaged.read_text())["topics"])


def test_unreadable_topic_definitions_are_one_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "topics.toml"
    broken.write_text("[topics.tasks\nname = 1\n")
    with pytest.raises(ConfigError, match=r"cannot read topic definitions topics.toml"):
        topic_specs(broken)
    with pytest.raises(ConfigError, match=r"cannot read topic definitions"):
        topic_specs(tmp_path / "absent.toml")


def test_an_unknown_constant_is_an_attribute_error() -> None:
    from apigen_stream import topics

    assert topic_specs()["tasks"].name == topics.TASKS
    with pytest.raises(AttributeError, match="NOPE"):
        _ = topics.NOPE


def test_broker_jars_are_cached_in_the_users_cache_directory(tmp_path: Path) -> None:
    version = broker_files.KAFKA_VERSION
    home_cache = Path.home() / ".cache" / "apigen-stream" / f"kafka-{version}"
    assert default_cache_dir({}) == home_cache
    assert default_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == (
        tmp_path / "apigen-stream" / f"kafka-{version}"
    )
    # The spec says a relative XDG_CACHE_HOME is to be ignored.
    assert default_cache_dir({"XDG_CACHE_HOME": "rel/cache"}) == home_cache
    assert default_cache_dir({CACHE_ENV: str(tmp_path / "jars")}) == tmp_path / "jars"
    assert not default_cache_dir({}).is_relative_to(REPO / "apigen_stream")
