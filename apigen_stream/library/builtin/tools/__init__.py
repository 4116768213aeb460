"""Tools APIs: unit, number, time and text conversions and everyday text utilities."""

from apigen_stream.library.builtin.tools.convert import (
    base64_text_codec,
    json_format_validate,
    percentage_calculate,
    physical_unit_convert,
    unix_timestamp_convert,
    url_percent_codec,
)
from apigen_stream.library.builtin.tools.text import (
    password_strength_estimate,
    regex_find_matches,
    text_case_convert,
    text_line_diff,
    text_statistics_count,
    url_slug_generate,
)

__all__ = [
    "base64_text_codec",
    "json_format_validate",
    "password_strength_estimate",
    "percentage_calculate",
    "physical_unit_convert",
    "regex_find_matches",
    "text_case_convert",
    "text_line_diff",
    "text_statistics_count",
    "unix_timestamp_convert",
    "url_percent_codec",
    "url_slug_generate",
]
