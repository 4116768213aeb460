"""Business operations APIs: turnover, inventory, payroll, surveys, fiscal periods, meetings."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.business.planning import _date, _date_param
from apigen_stream.library.registry import api


@api(
    category="Business",
    description=(
        "Employee turnover rate for a period: separations divided by average headcount "
        "((start + end) / 2), in percent, plus the retention-adjusted annualised rate."
    ),
    params={
        "separations": {
            "type": "integer",
            "minimum": 0,
            "description": "Employees who left during the period.",
        },
        "headcount_start": {
            "type": "integer",
            "minimum": 1,
            "description": "Headcount at the start of the period.",
        },
        "headcount_end": {
            "type": "integer",
            "minimum": 1,
            "description": "Headcount at the end of the period.",
        },
        "period_months": {
            "type": "integer",
            "minimum": 1,
            "maximum": 12,
            "description": "Length of the period in months.",
        },
    },
    templates=[
        "{separations} people left; we had {headcount_start} at the start and "
        "{headcount_end} at the end. What's our turnover rate?",
        "Compute employee turnover over {period_months} months with {separations} leavers, "
        "starting headcount {headcount_start}, ending {headcount_end}.",
    ],
    examples=[
        (
            "12 employees left this quarter, headcount went from 150 to 146. Turnover?",
            {"separations": 12, "headcount_start": 150, "headcount_end": 146, "period_months": 3},
        )
    ],
)
def employee_turnover_rate(
    separations: int, headcount_start: int, headcount_end: int, period_months: int = 12
) -> dict[str, float]:
    """Turnover over a period and annualised."""
    average = (headcount_start + headcount_end) / 2
    rate = 100 * separations / average
    return {
        "average_headcount": average,
        "turnover_pct": round(rate, 4),
        "annualised_turnover_pct": round(rate * 12 / period_months, 4),
    }


@api(
    category="Business",
    description=(
        "Economic order quantity (Wilson EOQ = sqrt(2DS/H)): the order size minimising ordering "
        "plus holding cost, with orders per year and the total annual inventory cost."
    ),
    params={
        "annual_demand": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Units demanded per year.",
        },
        "order_cost": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Fixed cost of placing one order.",
        },
        "holding_cost_per_unit": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Cost to hold one unit for a year.",
        },
    },
    templates=[
        "What's the economic order quantity for {annual_demand} units a year, {order_cost} "
        "per order and {holding_cost_per_unit} holding cost per unit?",
        "How much should I order at a time if yearly demand is {annual_demand}, ordering "
        "costs {order_cost} and storage {holding_cost_per_unit} per unit per year?",
    ],
    examples=[
        (
            "Annual demand 10000 units, 50 per order, 2 per unit per year to hold: EOQ?",
            {"annual_demand": 10000, "order_cost": 50, "holding_cost_per_unit": 2},
        )
    ],
)
def economic_order_quantity(
    annual_demand: float, order_cost: float, holding_cost_per_unit: float
) -> dict[str, float]:
    """Wilson EOQ."""
    eoq = math.sqrt(2 * annual_demand * order_cost / holding_cost_per_unit)
    orders = annual_demand / eoq
    total = orders * order_cost + eoq / 2 * holding_cost_per_unit
    return {
        "eoq_units": round(eoq, 4),
        "orders_per_year": round(orders, 4),
        "annual_inventory_cost": round(total, 2),
    }


@api(
    category="Business",
    description=(
        "Inventory reorder point = average daily demand x lead time + safety stock; if a demand "
        "standard deviation and service level are given, safety stock is z x sigma x "
        "sqrt(lead time)."
    ),
    params={
        "daily_demand": {
            "type": "number",
            "minimum": 0,
            "description": "Average units sold per day.",
        },
        "lead_time_days": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 365,
            "description": "Supplier lead time in days.",
        },
        "demand_std_dev": {
            "type": "number",
            "minimum": 0,
            "description": "Standard deviation of daily demand (0 for none).",
        },
        "service_level_pct": {
            "type": "number",
            "enum": [90, 95, 97.5, 99, 99.9],
            "description": "Target probability of no stock-out during lead time.",
        },
    },
    templates=[
        "When should I reorder if I sell {daily_demand} units a day and lead time is "
        "{lead_time_days} days?",
        "Reorder point for daily demand {daily_demand} (std dev {demand_std_dev}), lead time "
        "{lead_time_days} days, {service_level_pct}% service level?",
    ],
    examples=[
        (
            "We sell 40 units/day with std dev 8, lead time 9 days, want 95% service. "
            "Reorder point?",
            {"daily_demand": 40, "lead_time_days": 9, "demand_std_dev": 8, "service_level_pct": 95},
        )
    ],
)
def inventory_reorder_point(
    daily_demand: float,
    lead_time_days: float,
    demand_std_dev: float = 0.0,
    service_level_pct: float = 95,
) -> dict[str, float]:
    """Reorder point with normal-demand safety stock."""
    # One-sided standard normal quantiles for the offered service levels.
    z = {90: 1.2816, 95: 1.6449, 97.5: 1.96, 99: 2.3263, 99.9: 3.0902}[service_level_pct]
    safety = z * demand_std_dev * math.sqrt(lead_time_days)
    lead_demand = daily_demand * lead_time_days
    return {
        "lead_time_demand": round(lead_demand, 4),
        "safety_stock": round(safety, 4),
        "reorder_point": round(lead_demand + safety, 4),
        "z_score": z,
    }


@api(
    category="Business",
    description=(
        "Gross weekly pay with overtime: hours above the threshold (40 under the US FLSA) are "
        "paid at the overtime multiplier (1.5 under the FLSA)."
    ),
    params={
        "hourly_rate": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Regular hourly wage.",
        },
        "hours_worked": {
            "type": "number",
            "minimum": 0,
            "maximum": 168,
            "description": "Hours worked in the week.",
        },
        "overtime_threshold": {
            "type": "number",
            "minimum": 0,
            "maximum": 168,
            "description": "Weekly hours after which overtime applies.",
        },
        "overtime_multiplier": {
            "type": "number",
            "minimum": 1,
            "maximum": 3,
            "description": "Overtime pay multiple of the regular rate.",
        },
    },
    templates=[
        "I earn {hourly_rate} an hour and worked {hours_worked} hours this week. What's my "
        "gross pay with overtime?",
        "Weekly pay for {hours_worked} hours at {hourly_rate}/h with overtime after "
        "{overtime_threshold} hours at {overtime_multiplier}x?",
    ],
    examples=[
        ("I make 22 an hour and worked 46 hours. Pay?", {"hourly_rate": 22, "hours_worked": 46})
    ],
)
def weekly_pay_with_overtime(
    hourly_rate: float,
    hours_worked: float,
    overtime_threshold: float = 40,
    overtime_multiplier: float = 1.5,
) -> dict[str, float]:
    """FLSA-style weekly gross pay."""
    regular = min(hours_worked, overtime_threshold)
    overtime = max(0.0, hours_worked - overtime_threshold)
    regular_pay = regular * hourly_rate
    overtime_pay = overtime * hourly_rate * overtime_multiplier
    return {
        "regular_hours": regular,
        "overtime_hours": overtime,
        "regular_pay": round(regular_pay, 2),
        "overtime_pay": round(overtime_pay, 2),
        "gross_pay": round(regular_pay + overtime_pay, 2),
    }


@api(
    category="Business",
    description=(
        "Net Promoter Score from survey counts: % promoters (9-10) minus % detractors (0-6), "
        "from -100 to 100, with each group's share."
    ),
    params={
        "promoters": {
            "type": "integer",
            "minimum": 0,
            "description": "Respondents scoring 9 or 10.",
        },
        "passives": {"type": "integer", "minimum": 0, "description": "Respondents scoring 7 or 8."},
        "detractors": {
            "type": "integer",
            "minimum": 0,
            "description": "Respondents scoring 0 to 6.",
        },
    },
    templates=[
        "We got {promoters} promoters, {passives} passives and {detractors} detractors. "
        "What's our NPS?",
        "Calculate the Net Promoter Score with {promoters} promoters, {detractors} "
        "detractors and {passives} passives.",
    ],
    examples=[
        (
            "NPS with 120 promoters, 50 passives, 30 detractors?",
            {"promoters": 120, "passives": 50, "detractors": 30},
        )
    ],
)
def net_promoter_score(promoters: int, passives: int, detractors: int) -> dict[str, float]:
    """NPS from counts."""
    total = promoters + passives + detractors
    if total == 0:
        raise ValueError("at least one response is needed")
    return {
        "nps": round(100 * (promoters - detractors) / total, 2),
        "promoters_pct": round(100 * promoters / total, 2),
        "passives_pct": round(100 * passives / total, 2),
        "detractors_pct": round(100 * detractors / total, 2),
        "responses": total,
    }


@api(
    category="Business",
    description=(
        "Fiscal year and fiscal quarter of a date for a fiscal year starting in a given month; "
        "the fiscal year is named by the calendar year in which it ends."
    ),
    params={
        "date": _date_param("The date, YYYY-MM-DD.", ["2024-11-15", "2025-02-28", "2024-07-01"]),
        "fiscal_year_start_month": {
            "type": "integer",
            "minimum": 1,
            "maximum": 12,
            "description": "Month (1-12) the fiscal year starts; 10 is the US federal government.",
        },
    },
    templates=[
        "Which fiscal quarter is {date} in if our fiscal year starts in {fiscal_year_start_month}?",
        "What fiscal year and quarter does {date} fall in?",
    ],
    examples=[
        (
            "For the US federal fiscal year (starting October), which quarter is 2024-11-15?",
            {"date": "2024-11-15", "fiscal_year_start_month": 10},
        )
    ],
)
def fiscal_quarter_of_date(date: str, fiscal_year_start_month: int = 1) -> dict[str, Any]:
    """Fiscal period of a date."""
    day = _date(date, "date")
    offset = (day.month - fiscal_year_start_month) % 12
    start_year = day.year if day.month >= fiscal_year_start_month else day.year - 1
    end_year = start_year if fiscal_year_start_month == 1 else start_year + 1
    return {"fiscal_year": end_year, "fiscal_quarter": offset // 3 + 1, "fiscal_month": offset + 1}


@api(
    category="Business",
    description=(
        "Cost of a meeting: attendees x average annual salary converted to an hourly cost "
        "(salary / working hours per year) x duration, including an overhead multiplier."
    ),
    params={
        "attendees": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "description": "People in the meeting.",
        },
        "average_annual_salary": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Average yearly salary of attendees.",
        },
        "duration_minutes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 600,
            "description": "Meeting length in minutes.",
        },
        "working_hours_per_year": {
            "type": "integer",
            "minimum": 1000,
            "maximum": 3000,
            "description": "Paid hours per year (2080 = 52 weeks x 40 h).",
        },
        "overhead_multiplier": {
            "type": "number",
            "minimum": 1,
            "maximum": 3,
            "description": "Loaded-cost factor for benefits and overhead.",
        },
    },
    templates=[
        "How much does a {duration_minutes}-minute meeting with {attendees} people earning "
        "{average_annual_salary} a year cost?",
        "Cost of {attendees} attendees for {duration_minutes} minutes at an average salary "
        "of {average_annual_salary} with overhead {overhead_multiplier}x?",
    ],
    examples=[
        (
            "What does a 60-minute meeting of 8 people on 90000 a year cost us?",
            {"attendees": 8, "average_annual_salary": 90000, "duration_minutes": 60},
        )
    ],
)
def meeting_cost(
    attendees: int,
    average_annual_salary: float,
    duration_minutes: int,
    working_hours_per_year: int = 2080,
    overhead_multiplier: float = 1.0,
) -> dict[str, float]:
    """Salary cost of a meeting."""
    hourly = average_annual_salary / working_hours_per_year * overhead_multiplier
    cost = attendees * hourly * duration_minutes / 60
    return {
        "hourly_cost_per_person": round(hourly, 2),
        "meeting_cost": round(cost, 2),
        "person_hours": round(attendees * duration_minutes / 60, 4),
    }
