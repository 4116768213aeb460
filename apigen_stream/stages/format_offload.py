"""The format check run in a child process (``engine.offload``), with its deadline.

The stage sends every candidate's bytes as they came (see ``FormatStage``); the child
(``format.check_encoded``) answers with a ``CheckResult``: a reason code and detail, or the
accepted candidate's dedup key. A check past its deadline is a rejection ``deadline_exceeded``;
the child is replaced and the stage goes on.
"""

from __future__ import annotations

import msgspec

from apigen_stream import reasons
from apigen_stream.engine.offload import Offload, OffloadTimeout
from apigen_stream.records import Candidate
from apigen_stream.stages.stage import Accept, Reject, Verdict

# What the child runs.
CHECK_TARGET = "apigen_stream.stages.format:check_encoded"


class CheckResult(msgspec.Struct, frozen=True, kw_only=True):
    """A format verdict without its subject: ``reason`` empty means accepted, keyed ``key``."""

    reason: str = ""
    detail: str = ""
    key: bytes | None = None


RESULT_DECODER = msgspec.json.Decoder(CheckResult)


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
            reply = await self._offload.call(encoded)
        except OffloadTimeout:
            detail = f"the format check took more than {self._offload.timeout_s:g}s"
            return Reject(reasons.DEADLINE_EXCEEDED, detail, candidate)
        return verdict_of(RESULT_DECODER.decode(reply), candidate)
