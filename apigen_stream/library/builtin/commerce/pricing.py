"""Commerce pricing APIs: discounts, sales tax, EU VAT and parcel billable weight."""

from __future__ import annotations

import math
from typing import Any

import pycountry

from apigen_stream.library.registry import api

# EU standard VAT rates in percent on 1 January 2025 (European Commission, "VAT rates applied
# in the Member States of the European Union", taxud.c.1(2025)).
EU_VAT_STANDARD = {
    "AT": 20, "BE": 21, "BG": 20, "HR": 25, "CY": 19, "CZ": 21, "DK": 25, "EE": 22, "FI": 25.5,
    "FR": 20, "DE": 19, "GR": 24, "HU": 27, "IE": 23, "IT": 22, "LV": 21, "LT": 21, "LU": 17,
    "MT": 18, "NL": 21, "PL": 23, "PT": 23, "RO": 19, "SK": 23, "SI": 22, "ES": 21, "SE": 25,
}  # fmt: skip

# ISO 4217 minor units (digits after the decimal point) for widely traded currencies.
MINOR_UNITS = {
    "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "CHF": 2, "CAD": 2, "AUD": 2, "CNY": 2, "INR": 2,
    "KRW": 0, "BRL": 2, "MXN": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "KWD": 3, "BHD": 3,
    "OMR": 3, "JOD": 3, "TND": 3, "ISK": 0, "VND": 0, "CLP": 0, "ZAR": 2, "SGD": 2, "HKD": 2,
}  # fmt: skip


def _money(x: float) -> float:
    return round(x + 0.0, 2)


@api(
    category="Commerce",
    description=(
        "Final price after applying several percentage discounts one after another, and the "
        "effective total discount."
    ),
    params={
        "price": {"type": "number", "exclusiveMinimum": 0, "description": "Original price."},
        "discounts_pct": {
            "type": "array",
            "items": {"type": "number", "minimum": 0, "maximum": 100},
            "minItems": 1,
            "maxItems": 10,
            "description": "Discounts in percent, applied in order.",
        },
    },
    templates=[
        "What do I pay for an item of {price} with discounts of {discounts_pct} percent?",
        "Apply stacked discounts {discounts_pct}% to a price of {price}.",
    ],
    examples=[
        (
            "A 120 jacket is 30% off plus an extra 10% at checkout. Final price?",
            {"price": 120, "discounts_pct": [30, 10]},
        )
    ],
)
def stacked_discount_price(price: float, discounts_pct: list[float]) -> dict[str, float]:
    """Sequential percentage discounts."""
    final = price
    for d in discounts_pct:
        final *= 1 - d / 100
    return {
        "final_price": _money(final),
        "savings": _money(price - final),
        "effective_discount_pct": round(100 * (1 - final / price), 4),
    }


@api(
    category="Commerce",
    description=(
        "Splits an amount into net, tax and gross at a sales tax / VAT rate; the amount may "
        "include tax or not."
    ),
    params={
        "amount": {"type": "number", "minimum": 0, "description": "The amount."},
        "tax_rate_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Tax rate in percent.",
        },
        "tax_inclusive": {
            "type": "boolean",
            "description": "True if the amount already includes tax.",
        },
    },
    templates=[
        "How much tax is in {amount} at {tax_rate_pct}%, {tax_inclusive}?",
        "Add {tax_rate_pct}% sales tax to {amount}.",
    ],
    examples=[("What's 8.875% sales tax on 250?", {"amount": 250, "tax_rate_pct": 8.875})],
)
def sales_tax_breakdown(
    amount: float, tax_rate_pct: float, tax_inclusive: bool = False
) -> dict[str, float]:
    """Net / tax / gross split."""
    rate = tax_rate_pct / 100
    net = amount / (1 + rate) if tax_inclusive else amount
    return {"net": _money(net), "tax": _money(net * rate), "gross": _money(net * (1 + rate))}


@api(
    category="Commerce",
    description=(
        "Standard VAT rate of an EU member state (rates on 1 January 2025) and the VAT on an "
        "amount, as net, VAT and gross."
    ),
    params={
        "country": {
            "type": "string",
            "enum": sorted(EU_VAT_STANDARD),
            "description": "EU member state, ISO 3166-1 alpha-2 (Greece is GR).",
        },
        "net_amount": {"type": "number", "minimum": 0, "description": "Amount before VAT."},
    },
    templates=[
        "What's the VAT rate in {country}?",
        "How much VAT is charged on {net_amount} in {country}?",
    ],
    examples=[("How much VAT on 100 euros in Germany?", {"country": "DE", "net_amount": 100})],
)
def eu_vat_standard_rate(country: str, net_amount: float = 0.0) -> dict[str, Any]:
    """EU standard VAT."""
    rate = EU_VAT_STANDARD[country]
    name = pycountry.countries.get(alpha_2=country)
    return {
        "country": name.name if name else country,
        "standard_rate_pct": rate,
        "vat": _money(net_amount * rate / 100),
        "gross_amount": _money(net_amount * (1 + rate / 100)),
    }


# Carrier volumetric divisors: 139 in^3/lb (UPS and FedEx daily rates), 166 in^3/lb (USPS
# and retail), 5000 cm^3/kg (express couriers, e.g. DHL Express) and 6000 cm^3/kg (IATA air cargo).
DIVISORS = {
    "ups_fedex_139": (139, "in"),
    "usps_166": (166, "in"),
    "courier_5000": (5000, "cm"),
    "iata_6000": (6000, "cm"),
}


@api(
    category="Commerce",
    description=(
        "Dimensional (volumetric) weight of a parcel and the billable weight (the larger of "
        "actual and dimensional), for a carrier divisor. Inch divisors give pounds, cm divisors kg."
    ),
    params={
        "length": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 500,
            "description": "Length (inches for in-based divisors, cm otherwise).",
        },
        "width": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 500,
            "description": "Width, same unit.",
        },
        "height": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 500,
            "description": "Height, same unit.",
        },
        "actual_weight": {
            "type": "number",
            "minimum": 0,
            "maximum": 2000,
            "description": "Scale weight (lb or kg to match the divisor).",
        },
        "divisor": {"type": "string", "enum": list(DIVISORS), "description": "Carrier rule."},
    },
    templates=[
        "What's the billable weight of a {length}x{width}x{height} box weighing "
        "{actual_weight} with the {divisor} divisor?",
        "Dimensional weight of {length} by {width} by {height}?",
    ],
    examples=[
        (
            "My 20x16x12 inch box weighs 9 lb; billable weight at UPS?",
            {
                "length": 20,
                "width": 16,
                "height": 12,
                "actual_weight": 9,
                "divisor": "ups_fedex_139",
            },
        )
    ],
)
def parcel_billable_weight(
    length: float,
    width: float,
    height: float,
    actual_weight: float = 0.0,
    divisor: str = "ups_fedex_139",
) -> dict[str, Any]:
    """Dimensional and billable weight."""
    factor, unit = DIVISORS[divisor]
    dim = length * width * height / factor
    weight_unit = "lb" if unit == "in" else "kg"
    # Carriers round dimensional weight up to the next whole pound; kg rules use half-kg steps.
    rounded = math.ceil(dim) if unit == "in" else math.ceil(dim * 2) / 2
    return {
        "dimensional_weight": round(dim, 3),
        "billable_weight": max(rounded, actual_weight),
        "unit": weight_unit,
    }


def _gtin_check(digits: str) -> int:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10
