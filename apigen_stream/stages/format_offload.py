"""The format check run in a child process (``engine.offload``), with its deadline.

The stage sends candidates' bytes as they came (see ``FormatStage``), in a JSON array: a fetched
batch at once, or one candidate; the child (``format.check_encoded``) answers with an array of
``CheckResult``s: a reason code and detail, or the accepted candidate's dedup key. A check past
its deadline is a rejection ``deadline_exceeded``; the child is replaced and the stage goes on.
A batch past its deadline, or one the child died on, is no verdict (``many`` gives None): the
stage then checks its candidates one by one, each within the deadline of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from apigen_stream import reasons
from apigen_stream.engine.offload import Offload, OffloadCrashed, OffloadTimeout
from apigen_stream.records import Candidate
from apigen_stream.stages.stage import Accept, Reject, Verdict

# What the child runs.
CHECK_TARGET = "apigen_stream.stages.format:check_encoded"


class CheckResult(msgspec.Struct, frozen=True, kw_only=True):
    """A format verdict without its subject: ``reason`` empty means accepted, keyed ``key``."""

    reason: str = ""
    detail: str = ""
    key: bytes | None = None


RESULTS_DECODER = msgspec.json.Decoder(list[CheckResult])


def result_of(verdict: Verdict) -> CheckResult:
    """The subject-free form of a verdict, to send back to the parent."""
    if isinstance(verdict, Reject):
        return CheckResult(reason=verdict.reason, detail=verdict.detail)
    return CheckResult(key=verdict.key)


def verdict_of(result: CheckResult, candidate: Candidate) -> Verdict:
    """The verdict a result stands for, about ``candidate``."""
    if result.reason:
        return Reject(result.reason, result.detail, candidate)
    return Accept(candidate, key=result.key)


class OffloadedCheck:
    """``check_format`` in a child process of ``offload``, within its deadline."""

    def __init__(self, offload: Offload):
        self._offload = offload

    async def __call__(self, encoded: bytes, candidate: Candidate) -> Verdict:
        """The verdict about ``candidate``, checked from ``encoded`` (its bytes, sent as they
        are: the parent neither encodes it again nor decodes it twice)."""
        try:
            reply = await self._offload.call(_array([encoded]))
        except OffloadTimeout:
            detail = f"the format check took more than {self._offload.timeout_s:g}s"
            return Reject(reasons.DEADLINE_EXCEEDED, detail, candidate)
        (result,) = RESULTS_DECODER.decode(reply)
        return verdict_of(result, candidate)

    async def many(
        self, encoded: Sequence[bytes], candidates: Sequence[Candidate]
    ) -> list[Verdict] | None:
        """The verdicts about ``candidates`` (from ``encoded``, in order) in one call, or None
        when that call ran past its deadline or its child died."""
        try:
            reply = await self._offload.call(_array(encoded))
        except (OffloadTimeout, OffloadCrashed):
            return None
        results = RESULTS_DECODER.decode(reply)
        if len(results) != len(candidates):
            return None
        return [verdict_of(r, c) for r, c in zip(results, candidates, strict=True)]


def _array(encoded: Sequence[bytes]) -> bytes:
    """Encoded candidates as one JSON array, their bytes as they came."""
    return b"[" + b",".join(encoded) + b"]"
