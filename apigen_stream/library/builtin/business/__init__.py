"""Business APIs: working days, unit economics, inventory, payroll and people metrics."""

from apigen_stream.library.builtin.business.operations import (
    economic_order_quantity,
    employee_turnover_rate,
    fiscal_quarter_of_date,
    inventory_reorder_point,
    meeting_cost,
    net_promoter_score,
    weekly_pay_with_overtime,
)
from apigen_stream.library.builtin.business.planning import (
    add_business_days,
    break_even_units,
    business_days_between,
    customer_lifetime_value,
    gross_margin_and_markup,
)

__all__ = [
    "add_business_days",
    "break_even_units",
    "business_days_between",
    "customer_lifetime_value",
    "economic_order_quantity",
    "employee_turnover_rate",
    "fiscal_quarter_of_date",
    "gross_margin_and_markup",
    "inventory_reorder_point",
    "meeting_cost",
    "net_promoter_score",
    "weekly_pay_with_overtime",
]
