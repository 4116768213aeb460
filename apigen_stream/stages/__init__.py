"""The pipeline's stages: one module each, with a pure handler and an ``open_stage`` factory.

Every stage module exposes ``open_stage(config: Config) -> AbstractAsyncContextManager[Stage]``,
which opens the clients the stage needs (LLM, sandbox) and closes them on exit. Which modules
there are, and where each stage reads and writes, is ``spec.PIPELINE``'s to say. Modules are
imported on demand so that running one stage loads only what it uses.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

import msgspec

from apigen_stream.spec import PIPELINE, PipelineSpec

if TYPE_CHECKING:
    from apigen_stream.config import Config
    from apigen_stream.stages.stage import Stage

# Stage name -> module, in pipeline order (derived from ``spec.PIPELINE``).
STAGE_MODULES: dict[str, str] = {s.name: s.module for s in PIPELINE.stages}

StageFactory = Callable[["Config"], AbstractAsyncContextManager["Stage[Any]"]]


def stage_factory(name: str, pipeline: PipelineSpec = PIPELINE) -> StageFactory:
    """The ``open_stage`` of the stage called ``name`` in ``pipeline``, placed as it declares."""
    spec = pipeline.stage(name)
    opener: StageFactory = importlib.import_module(spec.module).open_stage

    @asynccontextmanager
    async def placed(config: Config) -> AsyncIterator[Stage[Any]]:
        async with opener(config) as stage:
            if stage.spec != spec:  # the declaration places it; its own config sizes its stores
                placed_spec = dataclasses.replace(spec, stores=stage.spec.stores)
                stage.spec = placed_spec  # type: ignore[misc]
            yield stage

    return placed


@asynccontextmanager
async def open_in_process(
    config: Config, names: Sequence[str], pipeline: PipelineSpec = PIPELINE
) -> AsyncIterator[list[Stage[Any]]]:
    """The named stages, in order, for one process (the embedded run, ``verify``).

    Their sandbox workers skip the warm-up: nothing here waits for a stage to be ready, and a
    run pays for the data its tools load only when it calls them.
    """
    sandbox = msgspec.structs.replace(config.sandbox, warm_up=False)
    config = msgspec.structs.replace(config, sandbox=sandbox)
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(stage_factory(n, pipeline)(config)) for n in names]
