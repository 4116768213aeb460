"""Where the tests' third-party data lives: ``tests/data`` (sources and licences in its NOTICE)."""

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
