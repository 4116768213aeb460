"""JSON Schemas of every topic's records, generated from ``records.TOPIC_RECORDS``.

Downstream consumers validate against ``<topic>.json``: shipped in the package
(``apigen_stream/data/schemas``, read with ``importlib.resources``) and copied to the repository's
``schemas/`` for readers. ``apigen-stream schemas write`` regenerates files and a test fails when
either copy drifts from the records. Pure: the command module does the file I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import msgspec

from apigen_stream.records import TOPIC_RECORDS
from apigen_stream.topics import topic_specs

# msgspec generates draft 2020-12 schemas (``$defs``, ``prefixItems``).
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def topic_schema(topic: str) -> dict[str, Any]:
    """The JSON Schema of the records on ``topic``, with its key and record type noted."""
    record = TOPIC_RECORDS[topic]
    schema = msgspec.json.schema(record)
    specs = {spec.name: spec for spec in topic_specs().values()}
    header: dict[str, Any] = {"$schema": DIALECT, "$id": f"{topic}.json", "title": topic}
    if topic in specs:
        header["description"] = (
            f"Value of a record on {topic}: a JSON-encoded {record.__name__}. "
            f"Record key: {specs[topic].key}."
        )
    return {**header, **schema}


def render(schema: Mapping[str, Any]) -> str:
    """The file text of a schema: stable key order and indentation, so diffs stay readable."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """File name -> text of every topic's schema (``apigen.accepted.json`` ...)."""
    return {f"{topic}.json": render(topic_schema(topic)) for topic in TOPIC_RECORDS}


def drift(existing: Mapping[str, str]) -> list[str]:
    """Names of schema files missing, stale or unexpected among ``existing`` (name -> text)."""
    fresh = schema_files()
    stale = [name for name, text in fresh.items() if existing.get(name) != text]
    extra = [name for name in existing if name not in fresh]
    return sorted(stale + extra)
