"""The harvester: docstring types, docstring examples, candidates and drop reasons, the probe's
verdicts, category rules, near-duplicates, and positional-only functions called by keyword."""

from __future__ import annotations

import logging
import math
from datetime import date
from pathlib import Path

import anyio
import pytest

from apigen_stream.config import SandboxConfig
from apigen_stream.errors import ConfigError
from apigen_stream.library import categories as cats
from apigen_stream.library import harvested
from apigen_stream.library.by_position import keyword_call
from apigen_stream.library.doc_examples import doc_arguments
from apigen_stream.library.docstrings import parse_docstring
from apigen_stream.library.harvest import harvest
from apigen_stream.library.harvest_run import near_duplicate_key, run_harvest
from apigen_stream.library.probe import day_spellings, judge
from apigen_stream.library.python_import import load_module
from apigen_stream.records import Outcome

SUPPORT = Path(__file__).resolve().parents[1] / "support"
PACKAGE = "tests.support.harvest_pkg"
RULES = cats.rules_from({"packages": {"tests": {"category": "Science", "qualify": True}}})


def test_docstring_types_in_google_numpy_and_sphinx_styles() -> None:
    google = parse_docstring(
        "Area.\n\nArgs:\n    base (int): The base.\n    unit (str, optional): U."
    )
    numpy = parse_docstring("Mean.\n\nParameters\n----------\nvalues : list of float\n    Numbers.")
    sphinx = parse_docstring("Shout.\n\n:param text: what\n:type text: str\n:param int n: times")
    assert google.types == {"base": "int", "unit": "str, optional"}
    assert google.params["base"] == "The base."
    assert numpy.types == {"values": "list of float"} and numpy.params["values"] == "Numbers."
    assert sphinx.types == {"text": "str", "n": "int"} and sphinx.params["text"] == "what"


def test_berkeley_style_module_imports_with_the_docstring_types() -> None:
    apis = {a.name: a for a in load_module(str(SUPPORT / "berkeley_style.py"))}
    area = apis["calculate_triangle_area"].parameters
    assert area["properties"]["base"]["type"] == "integer"
    assert area["properties"]["height"]["type"] == "integer"
    unit = area["properties"]["unit"]
    assert unit == {"type": "string", "description": 'The unit of the lengths. Defaults to "cm".',
                    "default": "cm"}  # fmt: skip
    assert area["required"] == ["base", "height"]
    assert apis["mean_of"].parameters["properties"]["values"]["items"] == {"type": "number"}
    assert apis["shout"].parameters["properties"]["text"]["type"] == "string"


def test_a_module_with_one_bad_function_loads_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        apis = load_module(str(SUPPORT / "one_bad_function.py"))
    assert sorted(a.name for a in apis) == ["add", "scale"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "one_bad_function.mystery skipped" in warnings[0] and "'thing'" in warnings[0]


def test_docstring_examples_give_literal_arguments_only() -> None:
    doc = "\n".join([">>> validate('BE 428759497')", "'0428759497'", ">>> validate(number)",
                     ">>> print(vat.validate('BE431150351', strict=True))",
                     ">>> validate(__import__('os'))"])  # fmt: skip
    found = doc_arguments([(doc, "validate")], ["number", "strict"])
    assert found == [{"number": "BE 428759497"}, {"number": "BE431150351", "strict": True}]
    borrowed = doc_arguments([(">>> compact('BE403019261')", None)], ["number"])
    assert borrowed == [{"number": "BE403019261"}]


def test_harvest_makes_candidates_and_counts_the_rest_by_reason() -> None:
    walked = harvest(PACKAGE, RULES)
    found = {c.name.removeprefix("tests_support_harvest_pkg_"): c for c in walked.candidates}
    assert sorted(found) == ["pole_height", "span_label", "wire_count"]
    # ``constant()`` and ``survey_day(when: date | None = None)``: no argument a query can give.
    assert dict(walked.dropped) == {"no_description": 1, "no_parameters": 2, "eval_based": 1,
                                    "untyped_parameter": 1}  # fmt: skip
    wires = found["wire_count"]
    assert wires.parameters["properties"]["poles"]["type"] == "integer"  # from the docstring
    label = found["span_label"].parameters
    assert label["properties"]["index"]["type"] == "integer"  # from the example's literal
    assert label["properties"]["prefix"] == {"type": "string", "default": "S"}
    assert label["required"] == ["index"]
    assert found["pole_height"].doc_arguments == ({"base": 3.0, "rise": 4.0},)
    assert found["pole_height"].target == f"{PACKAGE}:pole_height"
    assert found["pole_height"].description.startswith("Pole survey helpers: Length of a guy")
    assert {c.category for c in walked.candidates} == {"Science"}


def test_a_tool_the_seed_walk_found_unstable_is_dropped_as_unstable_result() -> None:
    rules = cats.rules_from({
        "packages": {"tests": {"category": "Science", "qualify": True}},
        "unstable": ["tests_support_harvest_pkg_wire_count"],
    })  # fmt: skip
    walked = harvest(PACKAGE, rules)
    names = {c.name.removeprefix("tests_support_harvest_pkg_") for c in walked.candidates}
    assert names == {"pole_height", "span_label"}
    assert walked.dropped["unstable_result"] == 1
    shipped = cats.load_rules()
    # The shipped list holds what the walk found; none of it is in the shipped file.
    assert "chemicals_to_num" in shipped.unstable
    assert not shipped.unstable & {e.name for e in harvested.read(harvested.HARVESTED_FILE)[0].apis}


def _ok(result: object, elapsed_ms: float = 1.0) -> Outcome:
    return Outcome(name="t", ok=True, result=result, elapsed_ms=elapsed_ms)


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (_ok(5), _ok(5), ""),
        (_ok(False), _ok(False), ""),
        (_ok(5), _ok(6), "unstable_result"),
        (_ok(""), _ok(""), "empty_result"),
        (_ok([]), _ok([]), "empty_result"),
        (_ok({"error": "bad"}), _ok({"error": "bad"}), "error_result"),
        (_ok("<Foo object at 0x7f00>"), _ok("<Foo object at 0x7f00>"), "object_repr_result"),
        (
            _ok("<generator object ndiff at 0x7f0>"),
            _ok("<generator object ndiff at 0x7f0>"),
            "object_repr_result",
        ),
        (_ok("x" * 5000), _ok("x" * 5000), "result_too_large"),
        (_ok(5, 400.0), _ok(5, 60.0), "too_slow"),
        (_ok(5, 400.0), _ok(5, 3.0), ""),  # the first call may pay a one-off load
        (Outcome(name="t", ok=False, reason="exception"), _ok(5), "exception"),
    ],
)
def test_probe_verdicts(first: Outcome, second: Outcome, reason: str) -> None:
    assert judge(first, second) == reason


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        ("2026-12-02", "unstable_result"),  # astral's today()
        ("Dec 2, 2026", "unstable_result"),  # babel's format_date() with no date
        ({"date": "03/12/2026"}, "unstable_result"),  # tomorrow, in another time zone
        ("2 December 2026", "unstable_result"),
        ("2026-12-05", ""),  # a date the arguments chose
        ("Dec 12, 2026", ""),
        (20261202, ""),
    ],
)
def test_a_result_that_spells_the_harvests_day_reads_the_clock(result: object, reason: str) -> None:
    days = day_spellings(date(2026, 12, 2))
    assert judge(_ok(result), _ok(result), days) == reason


def test_harvest_probes_in_the_sandbox_and_writes_a_loadable_file(tmp_path: Path) -> None:
    entries, reports, _ = anyio.run(run_harvest, [PACKAGE], RULES, SandboxConfig(workers=1))
    by_name = {e.name.removeprefix("tests_support_harvest_pkg_"): e for e in entries}
    assert by_name["pole_height"].arguments == {"base": 3.0, "rise": 4.0}
    assert by_name["pole_height"].result == 5.0
    assert by_name["span_label"].result == "S07"
    report = reports["tests"].as_dict()
    assert report["candidates"] == 8 and report["kept"] == len(entries) == 3
    path = tmp_path / "lib.json"
    harvested.write(path, entries, {"tests": "0"}, {"tests": report})
    apis = {a.name: a for a in harvested.load_harvested(str(path))}
    pole = apis["tests_support_harvest_pkg_pole_height"]
    assert pole.seed_result == 5.0 and pole.examples[0].calls[0].arguments == {
        "base": 3.0,
        "rise": 4.0,
    }
    assert pole.parameters["properties"]["base"]["examples"] == [3.0]
    assert pole.version == harvested.file_digest(path) and not pole.templates


def test_category_rules_order_override_module_keyword_package() -> None:
    rules = cats.rules_from({
        "packages": {"stdnum": {"category": "Data"}},
        "modules": {"stdnum.isbn": "Media"},
        "keywords": [{"category": "Finance", "words": ["VAT"], "packages": ["stdnum"]},
                     {"category": "Health", "words": ["blood"]}],
        "overrides": {"stdnum_isbn_special": "Education"},
    })  # fmt: skip
    assert rules.category("stdnum", "stdnum.be.vat", "x", "Belgian VAT number") == "Finance"
    assert rules.category("other", "other", "x", "Belgian VAT number") == "Other"
    assert rules.category("other", "other", "x", "Blood pressure band") == "Health"
    assert rules.category("stdnum", "stdnum.isbn", "y", "VAT of a book") == "Media"
    assert rules.category("stdnum", "stdnum.isbn", "stdnum_isbn_special", "") == "Education"
    assert rules.category("stdnum", "stdnum.nl.bsn", "z", "Dutch citizen number") == "Data"
    with pytest.raises(ConfigError, match="not one of the 21"):
        cats.rules_from({"packages": {"p": {"category": "Weather"}}})


def test_shipped_rules_name_only_known_categories() -> None:
    rules = cats.load_rules()
    assert rules.packages["stdnum"] == "Data" and rules.qualifies("stdnum")
    assert rules.excludes("stdnum.util", "stdnum_util_clean")


def test_near_duplicate_key_normalises_description_and_parameter_names() -> None:
    params = {"properties": {"b": {}, "a": {"type": "integer"}}}
    same = {"properties": {"a": {"type": "string"}, "b": {}}}
    assert near_duplicate_key("Check the  number, please!", params) == near_duplicate_key(
        "check the number please", same
    )
    assert near_duplicate_key("Check the number", params) != near_duplicate_key(
        "Check the number", {"properties": {"a": {}}}
    )


def test_positional_only_functions_are_called_by_keyword() -> None:
    assert keyword_call(math.comb)(n=5, k=2) == 10
    assert keyword_call(divmod)(x=7, y=2) == (3, 1)


def test_entries_of_a_package_not_installed_are_left_out_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def entry(name: str, package: str) -> harvested.Entry:
        return harvested.Entry(name=name, category="Science", package=package,
                               description="Pole height.", parameters={"type": "object",
                               "properties": {"base": {"type": "number"}}, "required": []},
                               target=f"{PACKAGE}:pole_height", arguments={"base": 1.0},
                               result=1.0)  # fmt: skip

    path = tmp_path / "lib.json"
    entries = [entry("here", "tests"), entry("gone_a", "chemicals_not_here"),
               entry("gone_b", "chemicals_not_here")]  # fmt: skip
    harvested.write(path, entries, {}, {})
    with caplog.at_level(logging.WARNING):
        apis = harvested.load_harvested(str(path))
    assert [a.name for a in apis] == ["here"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["harvested library: 2 APIs of chemicals_not_here left out: not installed"]


def test_examples_may_continue_over_lines_and_fold_number_arithmetic() -> None:
    doc = "\n".join([">>> Beggs_Brill(m=24270/3600., x=0.1, rhol=915.,",
                     "...     mul=180E-6, D=-2**3)", ">>> Beggs_Brill(m=x/2)",
                     ">>> Beggs_Brill(m=10**100000)"])  # fmt: skip
    found = doc_arguments([(doc, "Beggs_Brill")], ["m", "x", "rhol", "mul", "D"])
    assert found == [{"m": 24270 / 3600.0, "x": 0.1, "rhol": 915.0, "mul": 180e-6, "D": -8}]


def test_an_api_whose_text_holds_unicode_line_breaks_stays_on_one_line(tmp_path: Path) -> None:
    text = "Fix line breaks: \u2028 and \u2029 and \x85 become \n."
    entry = harvested.Entry(name="fix_breaks", category="Tools", package="tests",
                            description=text, parameters={"type": "object", "properties": {
                            "text": {"type": "string"}}, "required": ["text"]},
                            target=f"{PACKAGE}:pole_height", arguments={"text": text},
                            result=text)  # fmt: skip
    path = tmp_path / "lib.json"
    harvested.write(path, [entry], {}, {})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith('{"arguments"') for line in lines) == 1
    [api] = harvested.load_harvested(str(path))
    assert api.description == text and api.seed_result == text
