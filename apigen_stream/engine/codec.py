"""Where bytes become records and records become bytes: validated once, at the edge.

Input is bounded before it is decoded (``jsonlimits``): a record too large, too deep or with a
number too long is ``undecodable``, like bytes that are not JSON, and never reaches a decoder
that would recurse or a handler that would quote it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec

from apigen_stream import jsonlimits, reasons
from apigen_stream.errors import DecodeError

_ENCODER = msgspec.json.Encoder()


class RecordDecodeError(DecodeError):
    """Input bytes that are not a record of the topic's type; ``reason`` says how they fail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@cache
def _decoder(record_type: type[msgspec.Struct]) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(record_type)


def decode(record_type: type[msgspec.Struct], data: bytes | None) -> Any:
    """Decode ``data`` as ``record_type``; raise ``RecordDecodeError`` with a dead-letter reason."""
    if data is None:
        raise RecordDecodeError(reasons.UNDECODABLE, "empty record value")
    try:
        jsonlimits.check(data)
        return _decoder(record_type).decode(data)
    except jsonlimits.JsonLimitError as exc:
        raise RecordDecodeError(reasons.UNDECODABLE, str(exc)) from None
    except msgspec.ValidationError as exc:
        # A number past float or int range is a decoding limit, not a field of the wrong type.
        reason = reasons.UNDECODABLE if "out of range" in str(exc) else reasons.SCHEMA_VIOLATION
        raise RecordDecodeError(reason, str(exc)) from None
    except (msgspec.DecodeError, RecursionError) as exc:
        detail = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise RecordDecodeError(reasons.UNDECODABLE, detail) from None


def encode(record: msgspec.Struct) -> bytes:
    """The JSON bytes of a record, as every topic carries them."""
    return _ENCODER.encode(record)
