"""The category of a harvested API: an override, else description keywords, else its package's.

The rules live in one small TOML file (``harvest.toml`` beside this module by default)::

    [packages.stdnum]            # a package's default category, and whether its functions'
    category = "Finance"         # descriptions are prefixed with their module's title
    qualify = true

    [modules]                    # a module (or module prefix) overriding its package's default
    "stdnum.isbn" = "Media"

    [[keywords]]                 # the first rule with a word in the description decides
    category = "Health"          # (optionally only for the listed packages)
    words = ["blood", "heart rate"]
    packages = ["stdnum"]

    [overrides]                  # one API's category, by tool name: the final word
    stdnum_ean_validate = "Commerce"

    [aliases]                    # a package's own type names, as the JSON type they stand for
    H3Cell = "str"

Pure, apart from reading the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apigen_stream.errors import ConfigError
from apigen_stream.library.registry import CATEGORIES

DEFAULT_RULES = Path(__file__).with_name("harvest.toml")
# A package the rules do not name.
FALLBACK_CATEGORY = "Other"


@dataclass(frozen=True, slots=True)
class Rules:
    """Category rules (see the module docstring) and per-package harvest settings."""

    packages: dict[str, str] = field(default_factory=dict)
    qualified: frozenset[str] = frozenset()
    modules: dict[str, str] = field(default_factory=dict)
    # (category, words, packages the rule is limited to; empty: every package)
    keywords: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = ()
    overrides: dict[str, str] = field(default_factory=dict)
    # Module prefixes and tool names never harvested (reviewed and found unsuitable).
    excluded: frozenset[str] = frozenset()
    # Tool names whose seed result did not reproduce in a later process (the full seed walk):
    # dropped, and counted as ``unstable_result`` like the probe's own unstable candidates.
    unstable: frozenset[str] = frozenset()
    # Type names a package's stubs or docstrings use -> the type text they stand for.
    aliases: dict[str, str] = field(default_factory=dict)

    def unalias(self, text: str) -> str:
        """``text`` with every alias (a whole word) replaced by what it stands for."""
        for name, meaning in self.aliases.items():
            text = re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", meaning, text)
        return text

    def category(self, package: str, module: str, name: str, description: str) -> str:
        """The category of one API; see the module docstring for the order."""
        if name in self.overrides:
            return self.overrides[name]
        module_category = _longest_prefix(self.modules, module)
        if module_category:
            return module_category
        for category, pattern, scope in self.keywords:
            if (not scope or package in scope) and pattern.search(description):
                return category
        return self.packages.get(package, FALLBACK_CATEGORY)

    def qualifies(self, package: str) -> bool:
        """Whether the package's descriptions are prefixed with their module's title."""
        return package in self.qualified

    def excludes(self, module: str, name: str) -> bool:
        """Whether a module (by prefix) or a tool (by name) is left out on review."""
        return (
            name in self.excluded
            or _longest_prefix(dict.fromkeys(self.excluded, "x"), module) != ""
        )


def _longest_prefix(table: dict[str, str], module: str) -> str:
    best = ""
    value = ""
    for prefix, category in table.items():
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
            best, value = prefix, category
    return value


def load_rules(path: str | Path = DEFAULT_RULES) -> Rules:
    """The rules in a TOML file; unknown categories are a configuration error."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the category rules: {exc}") from exc
    return rules_from(data, str(path))


def rules_from(data: dict[str, Any], where: str = "rules") -> Rules:
    """Rules from the parsed TOML document."""
    packages = {name: _known(v.get("category", FALLBACK_CATEGORY), where)
                for name, v in data.get("packages", {}).items()}  # fmt: skip
    qualified = frozenset(n for n, v in data.get("packages", {}).items() if v.get("qualify"))
    keywords = tuple(
        (
            _known(rule["category"], where),
            _words_pattern(rule.get("words", [])),
            frozenset(rule.get("packages", [])),
        )
        for rule in data.get("keywords", [])
    )
    return Rules(
        packages=packages,
        qualified=qualified,
        modules={m: _known(c, where) for m, c in data.get("modules", {}).items()},
        keywords=keywords,
        overrides={n: _known(c, where) for n, c in data.get("overrides", {}).items()},
        excluded=frozenset(data.get("exclude", [])),
        unstable=frozenset(data.get("unstable", [])),
        aliases={str(k): str(v) for k, v in data.get("aliases", {}).items()},
    )


def _known(category: str, where: str) -> str:
    if category not in CATEGORIES:
        raise ConfigError(f"{where}: {category!r} is not one of the 21 categories")
    return category


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
