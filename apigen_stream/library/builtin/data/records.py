"""Data APIs for reshaping and reference data: CSV, JSON paths, ISO country and language codes."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Data"


@api(
    category=CATEGORY,
    description=(
        "Parse CSV text with a header row into a list of records (one object per row), with the "
        "column names and the row count; numeric-looking cells become numbers."
    ),
    params={
        "csv_text": {
            "type": "string",
            "minLength": 1,
            "description": "CSV text whose first line is the header.",
            "examples": [
                "name,age,city\nAda,36,London\nAlan,41,Wilmslow",
                "sku,price,qty\nA-100,9.99,3\nB-200,24.50,1\nC-300,5,12",
                "date,temp_c\n2024-07-01,23.5\n2024-07-02,25.1\n2024-07-03,21.8",
            ],
        },
        "delimiter": {
            "type": "string",
            "enum": [",", ";", "\t", "|"],
            "description": "Field separator.",
        },
    },
    templates=[
        "Convert this CSV to JSON records: {csv_text}",
        "Parse the following table (delimiter '{delimiter}'): {csv_text}",
    ],
    examples=[
        (
            "Turn this CSV into JSON: name,age\\nAda,36\\nAlan,41",
            {"csv_text": "name,age\nAda,36\nAlan,41", "delimiter": ","},
        )
    ],
)
def csv_text_to_records(csv_text: str, delimiter: str = ",") -> dict[str, Any]:
    """csv.DictReader; cells that parse as int or float are converted."""
    reader = csv.DictReader(io.StringIO(csv_text), delimiter=delimiter)
    if not reader.fieldnames:
        raise ValueError("the CSV has no header row")
    rows = [{k: _cell(v) for k, v in row.items()} for row in reader]
    return {"columns": list(reader.fieldnames), "row_count": len(rows), "records": rows}


def _cell(value: str | None) -> Any:
    if value is None:
        return None
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            continue
    return value


_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


_JSON_EXAMPLES = [
    '{"user": {"name": "Ada", "tags": ["admin", "dev"]}, "id": 7}',
    '{"user": {"name": "Grace", "tags": ["navy", "cobol", "compilers"]}, "id": 12}',
    '{"user": {"name": "Linus", "tags": ["kernel", "git"], "active": true}, "id": 3}',
]


@api(
    category=CATEGORY,
    description=(
        "Extract a value from a JSON document by a dotted path with list indexes, e.g. "
        "'user.tags[0]'; returns the value and its JSON type."
    ),
    params={
        "json_text": {
            "type": "string",
            "minLength": 2,
            "description": "The JSON document.",
            "examples": _JSON_EXAMPLES,
        },
        "path": {
            "type": "string",
            "minLength": 1,
            "description": "Dotted path; list items as [index].",
            "examples": ["user.name", "user.tags[1]", "id"],
        },
    },
    templates=[
        "From this JSON, get {path}: {json_text}",
        "What is the value at '{path}' in {json_text}?",
    ],
    examples=[
        (
            'Get user.name from {"user": {"name": "Ada", "tags": ["admin", "dev"]}, "id": 7}',
            {"json_text": _JSON_EXAMPLES[0], "path": "user.name"},
        )
    ],
)
def json_path_extract(json_text: str, path: str) -> dict[str, Any]:
    """Walks the parsed document token by token; a missing key or index is a ValueError."""
    try:
        node: Any = json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from exc
    for key, index in _PATH_TOKEN.findall(path):
        try:
            node = node[int(index)] if index else node[key]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"path {path!r} not found at {key or index!r}") from None
    kind = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return {"path": path, "value": node, "type": kind.get(type(node), "number")}


@api(
    category=CATEGORY,
    description=(
        "Look up a country in ISO 3166-1 by name or alpha-2/alpha-3/numeric code: official "
        "and common name, all three codes, and its number of ISO 3166-2 subdivisions."
    ),
    params={
        "country": {
            "type": "string",
            "minLength": 2,
            "description": "Country name or ISO code.",
            "examples": ["Germany", "JP", "BRA", "South Africa"],
        }
    },
    templates=[
        "What are the ISO codes for {country}?",
        "Look up {country} in ISO 3166.",
    ],
    examples=[("What is the ISO alpha-3 code of Germany?", {"country": "Germany"})],
)
def iso_country_codes_lookup(country: str) -> dict[str, Any]:
    """pycountry (Debian iso-codes data); fuzzy name search as a fallback."""
    import pycountry  # noqa: PLC0415 - loaded on first use

    found = _find_country(country)
    # pycountry leaves this one lookup unannotated.
    subdivisions = pycountry.subdivisions.get(country_code=found.alpha_2) or []  # type: ignore[no-untyped-call]
    return {
        "name": found.name,
        "official_name": getattr(found, "official_name", found.name),
        "alpha_2": found.alpha_2,
        "alpha_3": found.alpha_3,
        "numeric": found.numeric,
        "subdivision_count": len(subdivisions),
    }


def _find_country(query: str) -> Any:
    """Exact code or name first (pycountry.lookup is case-insensitive), then fuzzy search."""
    import pycountry  # noqa: PLC0415 - loaded on first use

    try:
        return pycountry.countries.lookup(query)
    except LookupError:
        pass
    matches = pycountry.countries.search_fuzzy(query) if len(query) > 3 else []
    if not matches:
        raise ValueError(f"no country matches {query!r}")
    return matches[0]


@api(
    category=CATEGORY,
    description=(
        "Look up a language in ISO 639 by name or 2/3-letter code: its English name, ISO "
        "639-1, 639-2 and 639-3 codes, scope and type (living, extinct, ...)."
    ),
    params={
        "language": {
            "type": "string",
            "minLength": 2,
            "description": "Language name or ISO 639 code.",
            "examples": ["Swahili", "de", "jpn", "Portuguese"],
        }
    },
    templates=[
        "What is the ISO 639 code for {language}?",
        "Tell me the language codes of {language}.",
    ],
    examples=[("What is the ISO language code for Swahili?", {"language": "Swahili"})],
)
def iso_language_lookup(language: str) -> dict[str, Any]:
    """pycountry's ISO 639-3 table, which carries the 639-1/-2 codes too."""
    import pycountry  # noqa: PLC0415 - loaded on first use

    try:
        found = pycountry.languages.lookup(language)
    except LookupError:
        # ISO 639-3 qualifies some names, e.g. "Swahili (macrolanguage)": prefer the one that
        # also has a two-letter code, which is the one people mean.
        prefix = language.lower() + " ("
        candidates = [x for x in pycountry.languages if x.name.lower().startswith(prefix)]
        if not candidates:
            raise ValueError(f"no language matches {language!r}") from None
        found = max(candidates, key=lambda x: hasattr(x, "alpha_2"))
    scopes = {"I": "individual", "M": "macrolanguage", "S": "special"}
    types = {"L": "living", "E": "extinct", "A": "ancient", "H": "historical", "C": "constructed"}
    return {
        "name": found.name,
        "iso639_1": getattr(found, "alpha_2", None),
        "iso639_2": getattr(found, "bibliographic", None) or found.alpha_3,
        "iso639_3": found.alpha_3,
        "scope": scopes.get(found.scope, found.scope),
        "type": types.get(found.type, found.type),
    }
