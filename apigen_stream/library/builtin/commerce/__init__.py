"""Commerce APIs: prices, discounts, taxes, shipping, landed cost, product codes, cards."""

from apigen_stream.library.builtin.commerce.pricing import (
    eu_vat_standard_rate,
    parcel_billable_weight,
    sales_tax_breakdown,
    stacked_discount_price,
)
from apigen_stream.library.builtin.commerce.products_and_payments import (
    card_number_check,
    gtin_barcode_check,
    installment_schedule,
    iso4217_amount_rounding,
    landed_cost_per_unit,
    price_elasticity_of_demand,
    return_deadline,
    unit_price_compare,
)

__all__ = [
    "card_number_check",
    "eu_vat_standard_rate",
    "gtin_barcode_check",
    "installment_schedule",
    "iso4217_amount_rounding",
    "landed_cost_per_unit",
    "parcel_billable_weight",
    "price_elasticity_of_demand",
    "return_deadline",
    "sales_tax_breakdown",
    "stacked_discount_price",
    "unit_price_compare",
]
