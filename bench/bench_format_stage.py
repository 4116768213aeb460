"""The format stage's handler, its check in this process against its check in a child process.

The same batches of candidates go through the stage's handling (``Handling.batch``, the
runner's default concurrency) twice: with ``check_here`` (the check on the event loop, as before
the check moved out) and with the stage ``open_stage`` gives (the check in a child process,
within its deadline, so no check can hold the loop). Rates are candidates per second of wall
time; the ratio is the price of keeping the loop free.
"""

from __future__ import annotations

import time

import anyio

from apigen_stream.config import Config
from apigen_stream.engine.codec import encode
from apigen_stream.engine.handling import Backoff, make_handling
from apigen_stream.engine.partitions import Envelope
from apigen_stream.records import Call, Candidate, Tool
from apigen_stream.stages.format import FormatStage, check_here, open_stage
from apigen_stream.stages.stage import DictState

CANDIDATES = 4_000
BATCH = 200
CONCURRENCY = 32
# Rounds per side; the best counts (the host is shared and noisy).
ROUNDS = 3

_PARAMETERS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "A city."},
        "days": {"type": "integer", "minimum": 1, "maximum": 14},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city"],
}


def _envelopes() -> list[Envelope]:
    tools = [Tool(name=f"weather_{k}", parameters=_PARAMETERS) for k in range(3)]
    out = []
    for i in range(CANDIDATES):
        call = Call(name=f"weather_{i % 3}", arguments={"city": f"city {i}", "days": 1 + i % 14})
        candidate = Candidate(id=f"b-{i:06d}", query=f"weather {i}", calls=[call], tools=tools)
        out.append(Envelope("apigen.candidates", 0, i, None, encode(candidate)))
    return out


async def _rate(stage: FormatStage, envelopes: list[Envelope]) -> float:
    handling = make_handling(stage, 1, Backoff(0.0, 0.0))
    limiter = anyio.CapacityLimiter(CONCURRENCY)
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for start in range(0, len(envelopes), BATCH):
            await handling.batch(envelopes[start : start + BATCH], DictState({}), limiter)
        best = min(best, time.perf_counter() - started)
    return len(envelopes) / best


async def _measure() -> None:
    envelopes = _envelopes()
    here = await _rate(FormatStage(check_here), envelopes)
    async with open_stage(Config()) as stage:
        await stage.handle(Candidate(id="warm", query="q"), DictState({}))  # the child starts
        child = await _rate(stage, envelopes)
    print(f"check on the event loop : {here:10,.0f} candidates/s")
    print(f"check in a child process: {child:10,.0f} candidates/s")
    print(f"ratio: {child / here:.2f} ({CANDIDATES} candidates, batch {BATCH})")


def main() -> None:
    """Both sides, one after the other, in this process."""
    anyio.run(_measure)


if __name__ == "__main__":
    main()
