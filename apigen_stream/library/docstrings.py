"""Docstrings read for tool schemas: the summary and each parameter's description.

Google (``Args:`` with ``name (type): text``), NumPy (``Parameters`` over a dashed rule, with
``name : type`` and an indented description) and Sphinx (``:param name: text``, ``:type name:
text``, ``:param type name: text``) styles; the type texts are kept as written, for
``pytype.parse_type_text``. Pure.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

# Section headers that end the free-text description (Google and NumPy spell them alike).
SECTION_NAMES = frozenset(
    {
        "args", "arguments", "parameters", "params", "keyword args", "keyword arguments",
        "other parameters", "returns", "return", "yields", "raises", "examples", "example",
        "notes", "note", "see also", "references", "attributes", "warns", "warnings",
    }
)  # fmt: skip
PARAMETER_SECTIONS = frozenset(
    {"args", "arguments", "parameters", "params", "keyword args", "keyword arguments",
     "other parameters"}
)  # fmt: skip

_GOOGLE_HEADER = re.compile(r"^([A-Za-z][A-Za-z ]*):\s*$")
_NUMPY_RULE = re.compile(r"^-{3,}\s*$")
_GOOGLE_ITEM = re.compile(r"^\*{0,2}(\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NUMPY_ITEM = re.compile(r"^\*{0,2}(\w+)\s*(?::\s*(.*))?$")
_SPHINX_PARAM = re.compile(r"^:param\s+(?:([^:]*)\s)?(\w+):\s*(.*)$")
_SPHINX_TYPE = re.compile(r"^:type\s+(\w+):\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Docstring:
    """What a docstring says about a function: its description and its parameters'."""

    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    # Parameter name -> its type as the docstring writes it (``"int"``, ``"list of float"``).
    types: dict[str, str] = field(default_factory=dict)


def parse_docstring(doc: str | None) -> Docstring:
    """Read a Google-, NumPy- or Sphinx-style docstring; unknown layouts give the text only."""
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    sections = _split_sections(lines)
    description = _join(sections.pop("", []))
    params: dict[str, str] = {}
    types: dict[str, str] = {}
    for name, body in sections.items():
        if name in PARAMETER_SECTIONS:
            for pname, (text, kind) in _parameter_items(body).items():
                params[pname] = text
                if kind:
                    types[pname] = kind
    for pname, (text, kind) in _sphinx_params(lines).items():
        if text or pname not in params:
            params[pname] = text
        if kind:
            types[pname] = kind
    return Docstring(description=description, params=params, types=types)


def _split_sections(lines: list[str]) -> dict[str, list[str]]:
    """Lines grouped by section name; ``""`` holds the text before the first section."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        header = _header(lines, i)
        if header is not None:
            current = header
            sections.setdefault(current, [])
            # A NumPy header also consumes its dashed rule.
            i += 2 if _GOOGLE_HEADER.match(line.strip()) is None else 1
            continue
        if not (current == "" and line.lstrip().startswith(":")):
            sections[current].append(line)
        i += 1
    return sections


def _header(lines: list[str], i: int) -> str | None:
    line = lines[i]
    if line[:1].isspace():
        return None
    google = _GOOGLE_HEADER.match(line.strip())
    if google and google.group(1).lower() in SECTION_NAMES:
        return google.group(1).lower()
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if line.strip().lower() in SECTION_NAMES and _NUMPY_RULE.match(following.strip()):
        return line.strip().lower()
    return None


def _parameter_items(body: list[str]) -> dict[str, tuple[str, str]]:
    """``name -> (description, type text)`` from a parameter section of either style."""
    indent = min((_indent(line) for line in body if line.strip()), default=0)
    items: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    current: str | None = None
    for line in body:
        if not line.strip():
            continue
        if _indent(line) == indent:
            current, kind, first = _item_head(line.strip())
            items[current] = [first] if first else []
            kinds[current] = kind
            shared = _SHARED_HEAD.match(line.strip())  # NumPy's ``x1, x2 : array_like``
            if shared:
                for name in shared.group(1).split(","):
                    items[name.strip()], kinds[name.strip()] = items[current], shared.group(2)
        elif current is not None:
            items[current].append(line.strip())
    return {name: (_join(text), kinds[name]) for name, text in items.items()}


def _item_head(text: str) -> tuple[str, str, str]:
    """An item's name, type text, and the description on its first line (NumPy puts none)."""
    google = _GOOGLE_ITEM.match(text)
    if google and (google.group(2) is not None or " : " not in text):
        return google.group(1), (google.group(2) or "").strip(), google.group(3)
    numpy = _NUMPY_ITEM.match(text)
    if numpy:
        return numpy.group(1), (numpy.group(2) or "").strip(), ""
    return text.split(maxsplit=1)[0], "", ""


_SHARED_HEAD = re.compile(r"^(\w+(?:\s*,\s*\w+)+)\s*:\s*(.*)$")


def _sphinx_params(lines: list[str]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for line in lines:
        stripped = line.strip()
        match = _SPHINX_PARAM.match(stripped)
        if match:
            old_kind = found.get(match.group(2), ("", ""))[1]
            found[match.group(2)] = (match.group(3).strip(), (match.group(1) or old_kind).strip())
        typed = _SPHINX_TYPE.match(stripped)
        if typed:
            old_text = found.get(typed.group(1), ("", ""))[0]
            found[typed.group(1)] = (old_text, typed.group(2).strip())
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())
