"""Configuration: TOML plus environment overrides, secrets kept out of reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen_stream.config import load_config
from apigen_stream.errors import ConfigError


def test_file_then_environment_overrides(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[kafka]\nbootstrap = "a:1"\nbatch_size = 10\n[sampler]\nseed = 3\n')
    config = load_config(path, env={"APIGEN__KAFKA__BATCH_SIZE": "50"})
    assert config.kafka.bootstrap == "a:1"
    assert config.kafka.batch_size == 50
    assert config.sampler.seed == 3


def test_openai_variables_and_key_never_in_repr() -> None:
    config = load_config(env={"OPENAI_API_KEY": "sk-secret", "OPENAI_BASE_URL": "http://h/v1"})
    assert config.llm.api_key == "sk-secret"
    assert config.llm.base_url == "http://h/v1"
    assert config.llm.online
    assert "sk-secret" not in repr(config)


def test_rest_credentials_only_for_named_variables() -> None:
    env = {
        "APIGEN__LIBRARY__OPENAPI_AUTH_ENV": '{ apiKey = "PETS_KEY" }',
        "PETS_KEY": "k-123",
        "UNRELATED_SECRET": "nope",
    }
    config = load_config(env=env)
    assert config.library.credentials == {"PETS_KEY": "k-123"}
    assert "k-123" not in repr(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[kafka\n", "not valid TOML"),
        ("[kafka]\nno_such_key = 1\n", "invalid configuration"),
        ("[kafka]\nbatch_size = 'many'\n", "invalid configuration"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={})


def test_missing_file_and_bad_override_shape(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.toml", env={})
    with pytest.raises(ConfigError, match="SECTION"):
        load_config(env={"APIGEN__KAFKA": "x"})
