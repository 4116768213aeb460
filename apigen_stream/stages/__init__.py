"""The pipeline's stages: one module each, with a pure handler and an ``open_stage`` factory.

Every stage module exposes ``open_stage(config: Config) -> AbstractAsyncContextManager[Stage]``,
which opens the clients the stage needs (LLM, sandbox) and closes them on exit. Modules are
imported on demand so that running one stage loads only what it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

import msgspec

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


@asynccontextmanager
async def open_in_process(config: Config, names: Sequence[str]) -> AsyncIterator[list[Stage[Any]]]:
    """The named stages, in order, for one process (the embedded run, ``verify``).

    Their sandbox workers skip the warm-up: nothing here waits for a stage to be ready, and a
    run pays for the data its tools load only when it calls them.
    """
    sandbox = msgspec.structs.replace(config.sandbox, warm_up=False)
    config = msgspec.structs.replace(config, sandbox=sandbox)
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(stage_factory(n)(config)) for n in names]
