"""Data APIs for statistics over lists of numbers: summaries, percentiles, correlation, fits."""

from __future__ import annotations

import math
import statistics
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Data"


# Lists longer than this are not what a single tool call carries; it also bounds run time.
_MAX_VALUES = 10_000


_VALUES = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": _MAX_VALUES,
    "description": "The numbers to analyse.",
}


def _r(x: float) -> float:
    return round(x, 6)


@api(
    category=CATEGORY,
    description=(
        "Descriptive statistics of a list of numbers: count, sum, mean, median, modes, sample "
        "standard deviation and variance, min, max, range and quartiles (inclusive method)."
    ),
    params={"values": _VALUES},
    templates=[
        "Give me summary statistics for {values}.",
        "What are the mean, median and standard deviation of {values}?",
    ],
    examples=[
        (
            "Summarise these test scores: 72, 85, 90, 66, 85, 78",
            {"values": [72, 85, 90, 66, 85, 78]},
        )
    ],
)
def descriptive_statistics(values: list[float]) -> dict[str, Any]:
    """Python's statistics module; quartiles use the inclusive (Excel QUARTILE.INC) method."""
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {
        "count": len(values),
        "sum": _r(math.fsum(values)),
        "mean": _r(statistics.fmean(values)),
        "median": _r(statistics.median(values)),
        "modes": statistics.multimode(values),
        "stdev": _r(statistics.stdev(values)),
        "variance": _r(statistics.variance(values)),
        "min": min(values),
        "max": max(values),
        "range": _r(max(values) - min(values)),
        "quartiles": [_r(q1), _r(q2), _r(q3)],
    }


@api(
    category=CATEGORY,
    description=(
        "The value at a given percentile of a list of numbers (linear interpolation, the "
        "NumPy/Excel PERCENTILE.INC definition), and the percentile rank of a value if given."
    ),
    params={
        "values": _VALUES,
        "percentile": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Percentile to compute, 0 to 100.",
        },
    },
    templates=[
        "What is the {percentile}th percentile of {values}?",
        "Find the {percentile}th percentile in this data: {values}",
    ],
    examples=[
        (
            "What's the 90th percentile of these response times: 120, 135, 150, 180, 210, 400?",
            {"values": [120, 135, 150, 180, 210, 400], "percentile": 90},
        )
    ],
)
def values_percentile(values: list[float], percentile: float) -> dict[str, float]:
    """Position (n − 1)·p/100 in the sorted list, interpolated between neighbours."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * percentile / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    value = ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
    return {"percentile": percentile, "value": _r(value)}


_X = {**_VALUES, "description": "First variable (x values)."}


_Y = {**_VALUES, "description": "Second variable (y values), same length as x."}


def _paired(x: list[float], y: list[float]) -> None:
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} values but y has {len(y)}")


def _ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank (as Spearman's rho requires)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


@api(
    category=CATEGORY,
    description=(
        "Pearson correlation coefficient r between two equally long number lists, with r² and "
        "Spearman's rank correlation."
    ),
    params={"x": _X, "y": _Y},
    templates=[
        "How correlated are {x} and {y}?",
        "Compute the Pearson correlation between x = {x} and y = {y}.",
    ],
    examples=[
        (
            "Is there a correlation between hours studied 1,2,3,4,5 and scores 52,60,63,71,80?",
            {"x": [1, 2, 3, 4, 5], "y": [52, 60, 63, 71, 80]},
        )
    ],
)
def pearson_correlation(x: list[float], y: list[float]) -> dict[str, float]:
    """statistics.correlation (Pearson and ranked)."""
    _paired(x, y)
    try:
        r = statistics.correlation(x, y)
        rho = statistics.correlation(_ranks(x), _ranks(y))
    except statistics.StatisticsError as exc:
        raise ValueError(str(exc)) from exc
    return {"pearson_r": _r(r), "r_squared": _r(r * r), "spearman_rho": _r(rho), "n": len(x)}


@api(
    category=CATEGORY,
    description=(
        "Ordinary least-squares straight line y = slope·x + intercept through paired data, "
        "with r², and the predicted y for an optional x value."
    ),
    params={
        "x": _X,
        "y": _Y,
        "predict_x": {
            "type": ["number", "null"],
            "description": "An x value to predict y for (null for none).",
        },
    },
    templates=[
        "Fit a linear regression of {y} on {x}.",
        "Using x = {x} and y = {y}, what y would you predict at x = {predict_x}?",
    ],
    examples=[
        (
            "Fit a line to ad spend 10,20,30,40 vs sales 25,41,58,79 and predict sales at 50.",
            {"x": [10, 20, 30, 40], "y": [25, 41, 58, 79], "predict_x": 50},
        )
    ],
)
def linear_regression_fit(
    x: list[float], y: list[float], predict_x: float | None = None
) -> dict[str, Any]:
    """statistics.linear_regression plus r² from the Pearson r."""
    _paired(x, y)
    try:
        slope, intercept = statistics.linear_regression(x, y)
        r = statistics.correlation(x, y)
    except statistics.StatisticsError as exc:
        raise ValueError(str(exc)) from exc
    result: dict[str, Any] = {
        "slope": _r(slope),
        "intercept": _r(intercept),
        "r_squared": _r(r * r),
    }
    if predict_x is not None:
        result["predicted_y"] = _r(slope * predict_x + intercept)
    return result


@api(
    category=CATEGORY,
    description=(
        "Moving average of a series: simple (mean of the last window values) or exponential "
        "(smoothing factor 2/(window+1)). Returns one value per position from the first full "
        "window (simple) or from the start (exponential)."
    ),
    params={
        "values": {**_VALUES, "description": "The series, oldest first."},
        "window": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Window."},
        "kind": {
            "type": "string",
            "enum": ["simple", "exponential"],
            "description": "Simple or exponential moving average.",
        },
    },
    templates=[
        "Compute the {window}-period {kind} moving average of {values}.",
        "Smooth this series with a moving average of window {window}: {values}",
    ],
    examples=[
        (
            "3-day simple moving average of closing prices 10, 11, 12, 13, 12, 14?",
            {"values": [10, 11, 12, 13, 12, 14], "window": 3, "kind": "simple"},
        )
    ],
)
def moving_average_series(values: list[float], window: int, kind: str = "simple") -> dict[str, Any]:
    """Simple: trailing mean; exponential: EMA seeded with the first value."""
    if window > len(values):
        raise ValueError(f"window {window} is longer than the series ({len(values)} values)")
    if kind == "simple":
        out = [
            _r(math.fsum(values[i - window + 1 : i + 1]) / window)
            for i in range(window - 1, len(values))
        ]
    elif kind == "exponential":
        alpha, ema, out = 2 / (window + 1), values[0], []
        for v in values:
            ema = alpha * v + (1 - alpha) * ema
            out.append(_r(ema))
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return {"kind": kind, "window": window, "averages": out}


@api(
    category=CATEGORY,
    description=(
        "Find outliers in a list of numbers by z-score (distance from the mean in sample "
        "standard deviations) and by Tukey's 1.5×IQR fences."
    ),
    params={
        "values": {**_VALUES, "minItems": 3},
        "z_threshold": {
            "type": "number",
            "minimum": 1,
            "maximum": 10,
            "description": "Absolute z-score above which a value is an outlier.",
        },
    },
    templates=[
        "Are there any outliers in {values}?",
        "Flag values more than {z_threshold} standard deviations from the mean in {values}.",
    ],
    examples=[
        (
            "Which of these readings are outliers: 10, 12, 11, 13, 12, 95, 11?",
            {"values": [10, 12, 11, 13, 12, 95, 11], "z_threshold": 2},
        )
    ],
)
def zscore_outliers(values: list[float], z_threshold: float = 3.0) -> dict[str, Any]:
    """Both tests, since z-scores miss outliers in small samples that IQR fences catch."""
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    z_out = [
        {"index": i, "value": v, "z": _r((v - mean) / sd)}
        for i, v in enumerate(values)
        if sd > 0 and abs(v - mean) / sd > z_threshold
    ]
    iqr_out = [{"index": i, "value": v} for i, v in enumerate(values) if v < low or v > high]
    return {
        "mean": _r(mean),
        "stdev": _r(sd),
        "z_outliers": z_out,
        "iqr_fences": [_r(low), _r(high)],
        "iqr_outliers": iqr_out,
    }


@api(
    category=CATEGORY,
    description=(
        "Histogram of a list of numbers in equal-width bins between its min and max: each "
        "bin's lower and upper edge and count (the last bin includes the max)."
    ),
    params={
        "values": _VALUES,
        "bins": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Bin count."},
    },
    templates=[
        "Make a histogram of {values} with {bins} bins.",
        "Bucket these numbers into {bins} equal ranges and count them: {values}",
    ],
    examples=[
        (
            "Histogram with 4 bins of ages 23, 35, 41, 29, 52, 61, 38, 45",
            {"values": [23, 35, 41, 29, 52, 61, 38, 45], "bins": 4},
        )
    ],
)
def histogram_bins(values: list[float], bins: int = 10) -> dict[str, Any]:
    """Equal-width bins; a constant list gets one bin holding everything."""
    lo, hi = min(values), max(values)
    width = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / width), bins - 1)] += 1
    return {
        "bins": [
            {"low": _r(lo + i * width), "high": _r(lo + (i + 1) * width), "count": c}
            for i, c in enumerate(counts)
        ]
    }


@api(
    category=CATEGORY,
    description=(
        "Rescale a list of numbers: min-max to [0, 1], z-score standardisation (mean 0, sample "
        "sd 1), or share of the total (values sum to 1)."
    ),
    params={
        "values": _VALUES,
        "method": {
            "type": "string",
            "enum": ["min_max", "z_score", "share_of_total"],
            "description": "Normalisation method.",
        },
    },
    templates=[
        "Normalize {values} using {method} scaling.",
        "Scale these values so they are comparable: {values}",
    ],
    examples=[
        (
            "Min-max normalise 4, 8, 15, 16, 23, 42",
            {"values": [4, 8, 15, 16, 23, 42], "method": "min_max"},
        )
    ],
)
def normalize_values(values: list[float], method: str = "min_max") -> dict[str, Any]:
    """A degenerate input (all equal, zero total) is an error rather than NaNs."""
    if method == "min_max":
        lo, span = min(values), max(values) - min(values)
        if span == 0:
            raise ValueError("all values are equal: min-max scaling is undefined")
        out = [(v - lo) / span for v in values]
    elif method == "z_score":
        mean, sd = statistics.fmean(values), statistics.stdev(values)
        if sd == 0:
            raise ValueError("all values are equal: z-scores are undefined")
        out = [(v - mean) / sd for v in values]
    elif method == "share_of_total":
        total = math.fsum(values)
        if total == 0:
            raise ValueError("values sum to zero: shares are undefined")
        out = [v / total for v in values]
    else:
        raise ValueError(f"unknown method {method!r}")
    return {"method": method, "values": [_r(v) for v in out]}
