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
from apigen_stream.library.builtin.commerce.shopping import (
    bundle_savings,
    buy_x_get_y_price,
    cashback_effective_price,
    charm_price,
    cost_per_use,
    coupon_comparison,
    free_shipping_gap,
    store_conversion_metrics,
    subscription_vs_purchase,
)

__all__ = [
    "bundle_savings",
    "buy_x_get_y_price",
    "card_number_check",
    "cashback_effective_price",
    "charm_price",
    "cost_per_use",
    "coupon_comparison",
    "eu_vat_standard_rate",
    "free_shipping_gap",
    "gtin_barcode_check",
    "installment_schedule",
    "iso4217_amount_rounding",
    "landed_cost_per_unit",
    "parcel_billable_weight",
    "price_elasticity_of_demand",
    "return_deadline",
    "sales_tax_breakdown",
    "stacked_discount_price",
    "store_conversion_metrics",
    "subscription_vs_purchase",
    "unit_price_compare",
]
