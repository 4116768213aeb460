"""Data APIs: statistics over number lists, CSV/JSON reshaping, ISO country and language data."""

from apigen_stream.library.builtin.data.records import (
    csv_text_to_records,
    iso_country_codes_lookup,
    iso_language_lookup,
    json_path_extract,
)
from apigen_stream.library.builtin.data.statistics import (
    descriptive_statistics,
    histogram_bins,
    linear_regression_fit,
    moving_average_series,
    normalize_values,
    pearson_correlation,
    values_percentile,
    zscore_outliers,
)

__all__ = [
    "csv_text_to_records",
    "descriptive_statistics",
    "histogram_bins",
    "iso_country_codes_lookup",
    "iso_language_lookup",
    "json_path_extract",
    "linear_regression_fit",
    "moving_average_series",
    "normalize_values",
    "pearson_correlation",
    "values_percentile",
    "zscore_outliers",
]
