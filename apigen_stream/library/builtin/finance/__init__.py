"""Finance APIs: loans, savings, depreciation, valuation, options, bonds, identifiers, currency."""

from apigen_stream.library.builtin.finance.identifiers import (
    currency_amount_format,
    iban_validate,
    isin_validate,
)
from apigen_stream.library.builtin.finance.lending import (
    asset_depreciation_schedule,
    compound_interest_future_value,
    loan_amortization_by_year,
    loan_monthly_payment,
)
from apigen_stream.library.builtin.finance.markets import (
    black_scholes_option_price,
    bond_price_and_duration,
    compound_annual_growth_rate,
    internal_rate_of_return,
    net_present_value,
)

__all__ = [
    "asset_depreciation_schedule",
    "black_scholes_option_price",
    "bond_price_and_duration",
    "compound_annual_growth_rate",
    "compound_interest_future_value",
    "currency_amount_format",
    "iban_validate",
    "internal_rate_of_return",
    "isin_validate",
    "loan_amortization_by_year",
    "loan_monthly_payment",
    "net_present_value",
]
