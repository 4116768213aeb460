"""Finance APIs for valuation and markets: NPV, IRR, CAGR, option and bond pricing."""

from __future__ import annotations

import math

from apigen_stream.library.registry import api

CATEGORY = "Finance"

# Bisection bounds for IRR, as a per-period rate: -99.99% to +1000% covers every realistic project.
_IRR_LOW, _IRR_HIGH = -0.9999, 10.0
# Iterations: each halves the bracket, so 200 reaches far below a millionth of a percent.
_IRR_ITERATIONS = 200


_CASH_FLOWS = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 600,
    "description": "Cash flow of each period, starting with period 0 (investments negative).",
}


def _npv(rate: float, flows: list[float]) -> float:
    return sum(cf / (1 + rate) ** t for t, cf in enumerate(flows))


@api(
    category=CATEGORY,
    description=(
        "Net present value of a series of periodic cash flows at a discount rate; the first "
        "flow is at period 0 and is not discounted."
    ),
    params={
        "discount_rate_percent": {
            "type": "number",
            "minimum": -99,
            "maximum": 100,
            "description": "Discount rate per period in percent.",
        },
        "cash_flows": _CASH_FLOWS,
    },
    templates=[
        "What is the NPV of the cash flows {cash_flows} at a {discount_rate_percent}% "
        "discount rate?",
        "Discount {cash_flows} at {discount_rate_percent}% per year: what is the net present "
        "value?",
    ],
    examples=[
        (
            "NPV at 8% of investing 1000 now and getting 300, 400, 500 over three years?",
            {"discount_rate_percent": 8, "cash_flows": [-1000, 300, 400, 500]},
        )
    ],
)
def net_present_value(discount_rate_percent: float, cash_flows: list[float]) -> dict[str, float]:
    """Sum of CF_t / (1 + r)^t."""
    return {"npv": round(_npv(discount_rate_percent / 100, cash_flows), 2)}


@api(
    category=CATEGORY,
    description=(
        "Internal rate of return (percent per period) of periodic cash flows: the discount rate "
        "at which their net present value is zero. Needs at least one sign change."
    ),
    params={"cash_flows": _CASH_FLOWS},
    templates=[
        "What is the IRR of the cash flows {cash_flows}?",
        "I invest and receive {cash_flows} year by year. What internal rate of return is that?",
    ],
    examples=[
        (
            "IRR of -1000 now followed by 300, 400 and 500 over three years?",
            {"cash_flows": [-1000, 300, 400, 500]},
        )
    ],
)
def internal_rate_of_return(cash_flows: list[float]) -> dict[str, float]:
    """Bisection on NPV(rate) = 0 between -99.99% and 1000% per period."""
    low, high = _IRR_LOW, _IRR_HIGH
    f_low = _npv(low, cash_flows)
    if f_low * _npv(high, cash_flows) > 0:
        raise ValueError("cash flows have no IRR between -99.99% and 1000% (need a sign change)")
    for _ in range(_IRR_ITERATIONS):
        mid = (low + high) / 2
        f_mid = _npv(mid, cash_flows)
        if f_low * f_mid <= 0:
            high = mid
        else:
            low, f_low = mid, f_mid
    return {"irr_percent": round((low + high) / 2 * 100, 4)}


@api(
    category=CATEGORY,
    description=(
        "Compound annual growth rate (CAGR, percent per year) between a starting and an ending "
        "value over a number of years, with the total growth."
    ),
    params={
        "start_value": {"type": "number", "exclusiveMinimum": 0, "description": "Initial value."},
        "end_value": {"type": "number", "exclusiveMinimum": 0, "description": "Final value."},
        "years": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 200,
            "description": "Length of the period in years (fractions allowed).",
        },
    },
    templates=[
        "My portfolio went from {start_value} to {end_value} in {years} years. What is the CAGR?",
        "What annual growth rate takes {start_value} to {end_value} over {years} years?",
    ],
    examples=[
        (
            "Revenue grew from 1.2 million to 2.5 million in 4 years: what's the CAGR?",
            {"start_value": 1200000, "end_value": 2500000, "years": 4},
        )
    ],
)
def compound_annual_growth_rate(
    start_value: float, end_value: float, years: float
) -> dict[str, float]:
    """(end/start)^(1/years) − 1."""
    cagr = (end_value / start_value) ** (1 / years) - 1
    return {
        "cagr_percent": round(cagr * 100, 4),
        "total_growth_percent": round((end_value / start_value - 1) * 100, 4),
    }


def _norm_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _norm_pdf(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


@api(
    category=CATEGORY,
    description=(
        "Black-Scholes price of a European call or put on a non-dividend-paying stock, with the "
        "delta, gamma, vega (per 1 volatility point) and theta (per day)."
    ),
    params={
        "spot_price": {"type": "number", "exclusiveMinimum": 0, "description": "Stock price."},
        "strike_price": {"type": "number", "exclusiveMinimum": 0, "description": "Strike price."},
        "years_to_expiry": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 30,
            "description": "Time to expiry in years (0.5 = six months).",
        },
        "volatility_percent": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 500,
            "description": "Annualised volatility in percent.",
        },
        "risk_free_rate_percent": {
            "type": "number",
            "minimum": -5,
            "maximum": 30,
            "description": "Continuously compounded risk-free rate in percent.",
        },
        "option_type": {"type": "string", "enum": ["call", "put"], "description": "Call or put."},
    },
    templates=[
        "Price a European {option_type} with spot {spot_price}, strike {strike_price}, "
        "{years_to_expiry} years to expiry, {volatility_percent}% volatility and a "
        "{risk_free_rate_percent}% risk-free rate.",
        "What is the Black-Scholes value of a {option_type} option struck at {strike_price} on a "
        "stock at {spot_price} expiring in {years_to_expiry} years (vol {volatility_percent}%)?",
    ],
    examples=[
        (
            "Black-Scholes price of a 1-year call, spot 100, strike 100, vol 20%, rate 5%?",
            {
                "spot_price": 100,
                "strike_price": 100,
                "years_to_expiry": 1,
                "volatility_percent": 20,
                "risk_free_rate_percent": 5,
                "option_type": "call",
            },
        )
    ],
)
def black_scholes_option_price(
    spot_price: float,
    strike_price: float,
    years_to_expiry: float,
    volatility_percent: float,
    risk_free_rate_percent: float = 4.0,
    option_type: str = "call",
) -> dict[str, float]:
    """Closed-form Black-Scholes (1973) price and greeks."""
    s, k, t = spot_price, strike_price, years_to_expiry
    sigma, r = volatility_percent / 100, risk_free_rate_percent / 100
    d1 = (math.log(s / k) + (r + sigma**2 / 2) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    discount = math.exp(-r * t)
    common_theta = -s * _norm_pdf(d1) * sigma / (2 * math.sqrt(t))
    if option_type == "call":
        price = s * _norm_cdf(d1) - k * discount * _norm_cdf(d2)
        delta, theta = _norm_cdf(d1), common_theta - r * k * discount * _norm_cdf(d2)
    elif option_type == "put":
        price = k * discount * _norm_cdf(-d2) - s * _norm_cdf(-d1)
        delta, theta = _norm_cdf(d1) - 1, common_theta + r * k * discount * _norm_cdf(-d2)
    else:
        raise ValueError(f"option_type must be 'call' or 'put', not {option_type!r}")
    return {
        "price": round(price, 4),
        "delta": round(delta, 4),
        "gamma": round(_norm_pdf(d1) / (s * sigma * math.sqrt(t)), 6),
        "vega": round(s * _norm_pdf(d1) * math.sqrt(t) / 100, 4),
        "theta_per_day": round(theta / 365, 4),
    }


@api(
    category=CATEGORY,
    description=(
        "Price of a fixed-coupon bond from its yield to maturity, with Macaulay and modified "
        "duration (years); price is per the given face value."
    ),
    params={
        "face_value": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Redemption (par) value.",
        },
        "coupon_rate_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 50,
            "description": "Annual coupon rate in percent of face value.",
        },
        "yield_percent": {
            "type": "number",
            "minimum": -5,
            "maximum": 50,
            "description": "Annual yield to maturity in percent.",
        },
        "years_to_maturity": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "Whole years until the bond matures.",
        },
        "payments_per_year": {
            "type": "integer",
            "enum": [1, 2, 4, 12],
            "description": "Coupon payments per year.",
        },
    },
    templates=[
        "What is the price of a {years_to_maturity}-year bond with face {face_value}, a "
        "{coupon_rate_percent}% coupon and a {yield_percent}% yield?",
        "Price and duration of a {coupon_rate_percent}% coupon bond (par {face_value}) maturing "
        "in {years_to_maturity} years when yields are {yield_percent}%?",
    ],
    examples=[
        (
            "Price of a 10-year 5% semi-annual bond, par 1000, when the yield is 6%?",
            {
                "face_value": 1000,
                "coupon_rate_percent": 5,
                "yield_percent": 6,
                "years_to_maturity": 10,
                "payments_per_year": 2,
            },
        )
    ],
)
def bond_price_and_duration(
    face_value: float,
    coupon_rate_percent: float,
    yield_percent: float,
    years_to_maturity: int,
    payments_per_year: int = 2,
) -> dict[str, float]:
    """Discounted cash flows at the periodic yield; durations in years."""
    n = years_to_maturity * payments_per_year
    coupon = face_value * coupon_rate_percent / 100 / payments_per_year
    y = yield_percent / 100 / payments_per_year
    flows = [(t, coupon + (face_value if t == n else 0.0)) for t in range(1, n + 1)]
    values = [(t, cf / (1 + y) ** t) for t, cf in flows]
    price = sum(v for _, v in values)
    macaulay = sum(t * v for t, v in values) / price / payments_per_year
    return {
        "price": round(price, 4),
        "macaulay_duration_years": round(macaulay, 4),
        "modified_duration_years": round(macaulay / (1 + y), 4),
        "current_yield_percent": round(coupon * payments_per_year / price * 100, 4),
    }
