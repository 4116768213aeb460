"""Business planning APIs: working days, break-even, margins and customer value."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import holidays

from apigen_stream.library.registry import api

# Countries whose national public holidays the ``holidays`` package keeps without a subdivision.
COUNTRIES = ["US", "GB", "DE", "FR", "CA", "AU", "JP", "IN", "ES", "IT", "NL", "BR"]

_COUNTRY = {
    "type": "string",
    "enum": COUNTRIES,
    "description": "ISO 3166-1 alpha-2 country whose national public holidays are skipped.",
}


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date YYYY-MM-DD, got {text!r}") from None


def _date_param(description: str, examples: list[str]) -> dict[str, Any]:
    return {"type": "string", "format": "date", "description": description, "examples": examples}


def _is_business_day(day: dt.date, closed: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in closed


@api(
    category="Business",
    description=(
        "Counts the working days (Monday-Friday, excluding the country's national public "
        "holidays) from start_date to end_date inclusive; also lists the holidays skipped."
    ),
    params={
        "start_date": _date_param(
            "First day, YYYY-MM-DD.", ["2024-01-01", "2024-03-01", "2024-11-01"]
        ),
        "end_date": _date_param(
            "Last day, YYYY-MM-DD.", ["2024-12-31", "2025-06-30", "2025-01-31"]
        ),
        "country": _COUNTRY,
    },
    templates=[
        "How many business days are there between {start_date} and {end_date} in {country}?",
        "Count the working days from {start_date} to {end_date}, skipping {country} holidays.",
    ],
    examples=[
        (
            "How many working days are there in the US in 2024?",
            {"start_date": "2024-01-01", "end_date": "2024-12-31", "country": "US"},
        )
    ],
)
def business_days_between(start_date: str, end_date: str, country: str = "US") -> dict[str, Any]:
    """Working days between two dates inclusive."""
    start, end = _date(start_date, "start_date"), _date(end_date, "end_date")
    if end < start:
        raise ValueError("end_date is before start_date")
    if (end - start).days > 3660:
        raise ValueError("the range may span at most ten years")
    closed = holidays.country_holidays(country, years=range(start.year, end.year + 1))
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    skipped = sorted(d for d in days if d.weekday() < 5 and d in closed)
    return {
        "business_days": sum(1 for d in days if _is_business_day(d, closed)),
        "calendar_days": len(days),
        "holidays_on_weekdays": [{"date": d.isoformat(), "name": closed[d]} for d in skipped],
    }


@api(
    category="Business",
    description=(
        "The date that is a given number of business days after (or before, if negative) a "
        "start date, skipping weekends and the country's national public holidays."
    ),
    params={
        "start_date": _date_param(
            "Day to count from, YYYY-MM-DD.", ["2024-12-20", "2025-04-14", "2024-07-01"]
        ),
        "business_days": {
            "type": "integer",
            "minimum": -500,
            "maximum": 500,
            "description": "Working days to add (negative counts backwards).",
        },
        "country": _COUNTRY,
    },
    templates=[
        "What date is {business_days} business days after {start_date} in {country}?",
        "If I start on {start_date}, when is the deadline {business_days} working days later "
        "({country})?",
    ],
    examples=[
        (
            "What is the date 10 business days after 2024-12-20 in the UK?",
            {"start_date": "2024-12-20", "business_days": 10, "country": "GB"},
        )
    ],
)
def add_business_days(start_date: str, business_days: int, country: str = "US") -> dict[str, Any]:
    """Shift a date by working days."""
    day = _date(start_date, "start_date")
    step = 1 if business_days >= 0 else -1
    closed = holidays.country_holidays(country, years=range(day.year - 3, day.year + 4))
    remaining = abs(business_days)
    while remaining:
        day += dt.timedelta(step)
        if _is_business_day(day, closed):
            remaining -= 1
    return {"date": day.isoformat(), "weekday": day.strftime("%A")}


@api(
    category="Business",
    description=(
        "Break-even point: units to sell so revenue covers fixed costs, the break-even revenue, "
        "and the contribution margin per unit and as a ratio (breaks_even is false when the "
        "price does not exceed the variable cost)."
    ),
    params={
        "fixed_costs": {
            "type": "number",
            "minimum": 0,
            "description": "Fixed costs for the period, in currency units.",
        },
        "unit_price": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Selling price per unit.",
        },
        "unit_variable_cost": {
            "type": "number",
            "minimum": 0,
            "description": "Variable cost per unit.",
        },
    },
    templates=[
        "With fixed costs of {fixed_costs}, a price of {unit_price} and a variable cost of "
        "{unit_variable_cost} per unit, how many units to break even?",
        "What's my break-even point if I sell at {unit_price}, each unit costs "
        "{unit_variable_cost} and overhead is {fixed_costs}?",
    ],
    examples=[
        (
            "Fixed costs are 50000, I sell at 25 and each unit costs 15: break-even units?",
            {"fixed_costs": 50000, "unit_price": 25, "unit_variable_cost": 15},
        )
    ],
)
def break_even_units(
    fixed_costs: float, unit_price: float, unit_variable_cost: float
) -> dict[str, Any]:
    """Break-even volume and revenue."""
    margin = unit_price - unit_variable_cost
    if margin <= 0:
        # Each sale loses money (or makes none): no volume ever covers the fixed costs.
        return {
            "breaks_even": False,
            "break_even_units": None,
            "contribution_margin_per_unit": round(margin, 4),
        }
    units = fixed_costs / margin
    return {
        "breaks_even": True,
        "break_even_units": math.ceil(units),
        "break_even_units_exact": round(units, 4),
        "break_even_revenue": round(units * unit_price, 2),
        "contribution_margin_per_unit": round(margin, 4),
        "contribution_margin_ratio": round(margin / unit_price, 4),
    }


@api(
    category="Business",
    description="Gross profit, gross margin (% of price) and markup (% of cost) for one item.",
    params={
        "cost": {"type": "number", "exclusiveMinimum": 0, "description": "Unit cost."},
        "price": {"type": "number", "exclusiveMinimum": 0, "description": "Unit selling price."},
    },
    templates=[
        "If an item costs {cost} and sells for {price}, what are the margin and markup?",
        "Compute gross margin for cost {cost} and price {price}.",
    ],
    examples=[("I buy at 60 and sell at 100; margin and markup?", {"cost": 60, "price": 100})],
)
def gross_margin_and_markup(cost: float, price: float) -> dict[str, float]:
    """Margin versus markup."""
    profit = price - cost
    return {
        "gross_profit": round(profit, 4),
        "gross_margin_pct": round(100 * profit / price, 4),
        "markup_pct": round(100 * profit / cost, 4),
    }


@api(
    category="Business",
    description=(
        "Customer lifetime value: average order value x purchases per year x retention years x "
        "gross margin, optionally compared with the customer acquisition cost (LTV:CAC ratio)."
    ),
    params={
        "average_order_value": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Average revenue per order.",
        },
        "purchases_per_year": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 365,
            "description": "Orders per customer per year.",
        },
        "retention_years": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 50,
            "description": "Average customer lifespan in years.",
        },
        "gross_margin_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Gross margin in percent.",
        },
        "acquisition_cost": {
            "type": "number",
            "minimum": 0,
            "description": "Cost to acquire one customer (0 to skip the ratio).",
        },
    },
    templates=[
        "What's the lifetime value of a customer spending {average_order_value} per order, "
        "{purchases_per_year} times a year for {retention_years} years at a "
        "{gross_margin_pct}% margin?",
        "Customer LTV with order value {average_order_value}, {purchases_per_year} "
        "orders/year, {retention_years} years, margin {gross_margin_pct}% and CAC "
        "{acquisition_cost}?",
    ],
    examples=[
        (
            "Customers spend 80 per order, 6 times a year, stay 3 years, margin 40%, CAC 120: LTV?",
            {
                "average_order_value": 80,
                "purchases_per_year": 6,
                "retention_years": 3,
                "gross_margin_pct": 40,
                "acquisition_cost": 120,
            },
        )
    ],
)
def customer_lifetime_value(
    average_order_value: float,
    purchases_per_year: float,
    retention_years: float,
    gross_margin_pct: float,
    acquisition_cost: float = 0.0,
) -> dict[str, float | None]:
    """Simple margin-based LTV."""
    revenue = average_order_value * purchases_per_year * retention_years
    ltv = revenue * gross_margin_pct / 100
    ratio = round(ltv / acquisition_cost, 4) if acquisition_cost > 0 else None
    return {
        "lifetime_revenue": round(revenue, 2),
        "lifetime_value": round(ltv, 2),
        "ltv_to_cac": ratio,
    }
