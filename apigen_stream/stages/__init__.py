"""The pipeline's stages: one module each, with a pure handler and an ``open_stage`` factory.

Every stage module exposes ``open_stage(config: Config) -> AbstractAsyncContextManager[Stage]``,
which opens the clients the stage needs (LLM, sandbox) and closes them on exit. Modules are
imported on demand so that running one stage loads only what it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from apigen_stream.errors import ConfigError

if TYPE_CHECKING:
    from apigen_stream.config import Config
    from apigen_stream.stages.stage import Stage

# Pipeline order: each stage reads the topic the one before it writes.
STAGE_MODULES: dict[str, str] = {
    "generate": "apigen_stream.stages.generate",
    "format": "apigen_stream.stages.format",
    "dedup": "apigen_stream.stages.dedup",
    "execute": "apigen_stream.stages.execute",
    "semantic": "apigen_stream.stages.semantic",
}

StageFactory = Callable[["Config"], AbstractAsyncContextManager["Stage[Any]"]]


def stage_factory(name: str) -> StageFactory:
    """The ``open_stage`` of the stage called ``name``."""
    try:
        module = importlib.import_module(STAGE_MODULES[name])
    except KeyError:
        known = ", ".join(STAGE_MODULES)
        raise ConfigError(f"unknown stage {name!r}; the stages are: {known}") from None
    factory: StageFactory = module.open_stage
    return factory
