"""TOML configs for the processes tests start, built from sections instead of repeated text.

``write_config(path, *parts)`` merges parts (each a mapping of section to settings; a later
part's setting wins) and writes them as TOML. The parts several tests share are named here:
``kafka``, ``library``, ``sandbox``, ``scripted_llm`` and ``sampler``. Values are strings,
numbers, booleans, lists, or mappings (written as inline tables).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

Part = Mapping[str, Mapping[str, Any]]


def kafka(bootstrap: str = "", **settings: Any) -> Part:
    """``[kafka]``: the broker (left to the environment when empty) and any other settings."""
    return {"kafka": {**({"bootstrap": bootstrap} if bootstrap else {}), **settings}}


def library(*modules: str) -> Part:
    """``[library]``: only the given Python modules' tools, no built-in library."""
    return {"library": {"builtin": False, "python_modules": list(modules)}}


def sandbox(workers: int, timeout_s: float, **settings: Any) -> Part:
    """``[sandbox]``: a small pool that preloads nothing (test tools import fast)."""
    return {"sandbox": {"workers": workers, "timeout_s": timeout_s, "preload": [], **settings}}


def scripted_llm(base_url: str, **settings: Any) -> Part:
    """``[llm]``: one generator and one judge at ``base_url`` (a scripted test server)."""
    llm = {"base_url": base_url, "generators": [{"name": "gen"}], "judges": [{"name": "judge"}]}
    return {"llm": {**llm, **settings}}


def sampler(seed: int, **settings: Any) -> Part:
    """``[sampler]``: the seed (a test's own, so its task ids are its alone) and settings."""
    return {"sampler": {"seed": seed, **settings}}


def merged(*parts: Part) -> dict[str, dict[str, Any]]:
    """The parts as one config: sections in first-seen order, later settings winning."""
    sections: dict[str, dict[str, Any]] = {}
    for part in parts:
        for name, settings in part.items():
            sections.setdefault(name, {}).update(settings)
    return sections


def toml(sections: Mapping[str, Mapping[str, Any]]) -> str:
    """The sections as TOML text."""
    blocks = []
    for name, settings in sections.items():
        lines = [f"[{name}]", *(f"{key} = {_value(v)}" for key, v in settings.items())]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def write_config(path: Path, *parts: Part) -> Path:
    """``path`` holding the merged parts as TOML."""
    path.write_text(toml(merged(*parts)), encoding="utf-8")
    return path


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's string escapes are valid in a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")
