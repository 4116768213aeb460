"""Finance APIs for borrowing and saving: loan payments, amortisation, interest, depreciation."""

from __future__ import annotations

from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Finance"


def _monthly_payment(principal: float, annual_rate_percent: float, months: int) -> float:
    r = annual_rate_percent / 100 / 12
    if r == 0:
        return principal / months
    return principal * r / (1 - (1 + r) ** -months)


_PRINCIPAL = {
    "type": "number",
    "exclusiveMinimum": 0,
    "maximum": 1e9,
    "description": "Amount borrowed, in the loan's currency.",
}


_RATE = {
    "type": "number",
    "minimum": 0,
    "maximum": 50,
    "description": "Nominal annual interest rate in percent (6.5 means 6.5%).",
}


_YEARS = {"type": "integer", "minimum": 1, "maximum": 50, "description": "Loan term in years."}


@api(
    category=CATEGORY,
    description=(
        "Monthly payment of a fixed-rate amortising loan or mortgage, with the total paid and the "
        "total interest over the term (same currency as the principal)."
    ),
    params={"principal": _PRINCIPAL, "annual_rate_percent": _RATE, "years": _YEARS},
    templates=[
        "What is the monthly payment on a {principal} loan at {annual_rate_percent}% over "
        "{years} years?",
        "I want to borrow {principal} for {years} years at {annual_rate_percent}% interest. "
        "How much will I pay each month?",
    ],
    examples=[
        (
            "Monthly payment on a 200000 mortgage at 6.5% for 30 years?",
            {"principal": 200000, "annual_rate_percent": 6.5, "years": 30},
        )
    ],
)
def loan_monthly_payment(
    principal: float, annual_rate_percent: float, years: int = 30
) -> dict[str, float]:
    """Annuity formula: P·r / (1 − (1 + r)^−n) with r the monthly rate."""
    months = years * 12
    payment = _monthly_payment(principal, annual_rate_percent, months)
    return {
        "monthly_payment": round(payment, 2),
        "total_paid": round(payment * months, 2),
        "total_interest": round(payment * months - principal, 2),
        "months": months,
    }


@api(
    category=CATEGORY,
    description=(
        "Year-by-year amortisation of a fixed-rate loan: principal repaid, interest paid and "
        "remaining balance at the end of each year."
    ),
    params={"principal": _PRINCIPAL, "annual_rate_percent": _RATE, "years": _YEARS},
    templates=[
        "Show me the yearly amortization schedule for {principal} at {annual_rate_percent}% "
        "over {years} years.",
        "How much principal and interest do I pay each year on a {years}-year loan of "
        "{principal} at {annual_rate_percent}%?",
    ],
    examples=[
        (
            "Give me the amortization by year for a 25000 car loan at 7% over 5 years.",
            {"principal": 25000, "annual_rate_percent": 7, "years": 5},
        )
    ],
)
def loan_amortization_by_year(
    principal: float, annual_rate_percent: float, years: int
) -> dict[str, Any]:
    """Runs the monthly schedule and aggregates it per year."""
    months = years * 12
    payment = _monthly_payment(principal, annual_rate_percent, months)
    r = annual_rate_percent / 100 / 12
    balance = principal
    rows: list[dict[str, float]] = []
    for year in range(1, years + 1):
        paid_interest = paid_principal = 0.0
        for _ in range(12):
            interest = balance * r
            paid_interest += interest
            paid_principal += payment - interest
            balance -= payment - interest
        rows.append(
            {
                "year": year,
                "principal_paid": round(paid_principal, 2),
                "interest_paid": round(paid_interest, 2),
                "balance": round(max(balance, 0.0), 2),
            }
        )
    return {"monthly_payment": round(payment, 2), "years": rows}


@api(
    category=CATEGORY,
    description=(
        "Future value of savings with compound interest and optional regular monthly "
        "contributions; returns the final balance, total contributed and interest earned."
    ),
    params={
        "principal": {
            "type": "number",
            "minimum": 0,
            "maximum": 1e9,
            "description": "Starting balance.",
        },
        "annual_rate_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 50,
            "description": "Nominal annual interest rate in percent.",
        },
        "years": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Years saved."},
        "compounds_per_year": {
            "type": "integer",
            "enum": [1, 2, 4, 12, 365],
            "description": "Compounding periods per year (12 = monthly).",
        },
        "monthly_contribution": {
            "type": "number",
            "minimum": 0,
            "maximum": 1e7,
            "description": "Amount added at the end of every month.",
        },
    },
    templates=[
        "If I invest {principal} at {annual_rate_percent}% compounded {compounds_per_year}, how "
        "much will I have after {years} years?",
        "How much will {principal} grow to in {years} years at {annual_rate_percent}% if I add "
        "{monthly_contribution} every month?",
    ],
    examples=[
        (
            "How much will 10000 be worth after 10 years at 5% compounded monthly?",
            {"principal": 10000, "annual_rate_percent": 5, "years": 10, "compounds_per_year": 12},
        )
    ],
)
def compound_interest_future_value(
    principal: float,
    annual_rate_percent: float,
    years: int,
    compounds_per_year: int = 12,
    monthly_contribution: float = 0.0,
) -> dict[str, float]:
    """Month-by-month simulation so contributions and any compounding frequency combine exactly."""
    period_rate = annual_rate_percent / 100 / compounds_per_year
    # Equivalent monthly growth factor of the nominal rate compounded n times a year.
    monthly_factor = (1 + period_rate) ** (compounds_per_year / 12)
    balance = float(principal)
    for _ in range(years * 12):
        balance = balance * monthly_factor + monthly_contribution
    contributed = principal + monthly_contribution * years * 12
    return {
        "future_value": round(balance, 2),
        "total_contributed": round(contributed, 2),
        "interest_earned": round(balance - contributed, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Depreciation schedule of an asset by straight-line or double-declining-balance: "
        "depreciation expense and book value at the end of each year."
    ),
    params={
        "cost": {"type": "number", "exclusiveMinimum": 0, "description": "Purchase cost."},
        "salvage_value": {
            "type": "number",
            "minimum": 0,
            "description": "Residual value at the end of its useful life.",
        },
        "useful_life_years": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "description": "Useful life in years.",
        },
        "method": {
            "type": "string",
            "enum": ["straight_line", "double_declining"],
            "description": "Depreciation method.",
        },
    },
    templates=[
        "Depreciate an asset costing {cost} with salvage {salvage_value} over "
        "{useful_life_years} years using the {method} method.",
        "What is the yearly depreciation of a {cost} machine worth {salvage_value} after "
        "{useful_life_years} years?",
    ],
    examples=[
        (
            "Straight-line depreciation of a 50000 truck, salvage 5000, over 5 years?",
            {"cost": 50000, "salvage_value": 5000, "useful_life_years": 5},
        )
    ],
)
def asset_depreciation_schedule(
    cost: float, salvage_value: float, useful_life_years: int, method: str = "straight_line"
) -> dict[str, Any]:
    """Double-declining never depreciates below salvage and switches nothing else."""
    if salvage_value > cost:
        raise ValueError("salvage_value cannot exceed cost")
    book, rows = float(cost), []
    for year in range(1, useful_life_years + 1):
        if method == "straight_line":
            expense = (cost - salvage_value) / useful_life_years
        elif method == "double_declining":
            expense = book * 2 / useful_life_years
            expense = min(expense, book - salvage_value)
            if year == useful_life_years:
                expense = book - salvage_value
        else:
            raise ValueError(f"unknown method {method!r}")
        book -= expense
        rows.append({"year": year, "depreciation": round(expense, 2), "book_value": round(book, 2)})
    return {"method": method, "schedule": rows}
