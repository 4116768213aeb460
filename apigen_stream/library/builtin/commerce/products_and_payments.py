"""Commerce APIs: barcodes, landed cost, cards, offers, instalments, money, returns."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pycountry

from apigen_stream.library.builtin.commerce.pricing import MINOR_UNITS, _gtin_check, _money
from apigen_stream.library.registry import api


@api(
    category="Commerce",
    description=(
        "Validates a GTIN barcode (EAN-8, UPC-A, EAN-13, GTIN-14) by its check digit, or gives the "
        "check digit of a code missing it; reports the GS1 prefix for EAN-13."
    ),
    params={
        "code": {
            "type": "string",
            "pattern": r"^\d{7,14}$",
            "description": "Digits of the barcode.",
            "examples": ["4006381333931", "036000291452", "96385074", "400638133393"],
        },
    },
    templates=["Is {code} a valid barcode?", "Check the EAN/UPC check digit of {code}."],
    examples=[("Is 4006381333931 a valid EAN-13?", {"code": "4006381333931"})],
)
def gtin_barcode_check(code: str) -> dict[str, Any]:
    """GTIN check digit."""
    if not code.isdigit():
        raise ValueError("a barcode has digits only")
    kinds = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
    result: dict[str, Any] = {"code": code}
    if len(code) in kinds:
        result |= {"type": kinds[len(code)], "valid": _gtin_check(code[:-1]) == int(code[-1])}
    if len(code) + 1 in kinds:
        result["check_digit_if_missing"] = _gtin_check(code)
    if len(code) == 13:
        result["gs1_prefix"] = code[:3]
    return result


@api(
    category="Commerce",
    description=(
        "Landed cost of an import order per unit: goods + freight + insurance, customs duty on "
        "the CIF value (as most customs unions levy it), and other fees, split over the units."
    ),
    params={
        "unit_cost": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Supplier price per unit.",
        },
        "quantity": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000000,
            "description": "Units ordered.",
        },
        "freight": {
            "type": "number",
            "minimum": 0,
            "description": "Shipping cost for the whole order.",
        },
        "insurance": {
            "type": "number",
            "minimum": 0,
            "description": "Insurance for the whole order.",
        },
        "duty_rate_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Customs duty rate in percent of the CIF value.",
        },
        "other_fees": {
            "type": "number",
            "minimum": 0,
            "description": "Brokerage, handling and other fixed fees.",
        },
    },
    templates=[
        "What's the landed cost per unit for {quantity} units at {unit_cost} each with "
        "{freight} freight and {duty_rate_pct}% duty?",
        "I import {quantity} items at {unit_cost}; freight {freight}, insurance {insurance}, "
        "duty {duty_rate_pct}%, fees {other_fees}. Cost per unit?",
    ],
    examples=[
        (
            "1000 units at 4.50 each, 600 freight, 50 insurance, 12% duty, 150 brokerage: "
            "landed cost per unit?",
            {
                "unit_cost": 4.5,
                "quantity": 1000,
                "freight": 600,
                "insurance": 50,
                "duty_rate_pct": 12,
                "other_fees": 150,
            },
        )
    ],
)
def landed_cost_per_unit(
    unit_cost: float,
    quantity: int,
    freight: float = 0.0,
    insurance: float = 0.0,
    duty_rate_pct: float = 0.0,
    other_fees: float = 0.0,
) -> dict[str, float]:
    """CIF-based landed cost."""
    goods = unit_cost * quantity
    cif = goods + freight + insurance
    duty = cif * duty_rate_pct / 100
    total = cif + duty + other_fees
    return {
        "goods_value": _money(goods),
        "cif_value": _money(cif),
        "duty": _money(duty),
        "total_landed_cost": _money(total),
        "landed_cost_per_unit": round(total / quantity, 4),
        "overhead_pct_of_goods": round(100 * (total - goods) / goods, 2),
    }


# Issuer identification number ranges of the major card networks (ISO/IEC 7812 issuer lists).
_NETWORKS = [
    ("American Express", [(34, 34), (37, 37)]),
    ("Visa", [(4, 4)]),
    ("Mastercard", [(51, 55), (2221, 2720)]),
    ("Discover", [(6011, 6011), (644, 649), (65, 65)]),
    ("JCB", [(3528, 3589)]),
    ("Diners Club", [(300, 305), (36, 36), (38, 39)]),
]


def _network(number: str) -> str:
    for name, ranges in _NETWORKS:
        for low, high in ranges:
            width = len(str(low))
            if low <= int(number[:width]) <= high:
                return name
    return "unknown"


@api(
    category="Commerce",
    description=(
        "Checks a payment card number with the Luhn algorithm and identifies its network from "
        "the IIN prefix."
    ),
    params={
        "card_number": {
            "type": "string",
            "pattern": r"^[0-9 -]{12,23}$",
            "description": "Card number; spaces or hyphens allowed.",
            "examples": [
                "4111 1111 1111 1111",
                "5555555555554444",
                "378282246310005",
                "6011111111111117",
            ],
        },
    },
    templates=[
        "Is the card number {card_number} valid?",
        "Which network issued card {card_number}, and does it pass the Luhn check?",
    ],
    examples=[
        ("Is 4111 1111 1111 1111 a valid card number?", {"card_number": "4111 1111 1111 1111"})
    ],
)
def card_number_check(card_number: str) -> dict[str, Any]:
    """Luhn check and network."""
    digits = re.sub(r"[ -]", "", card_number)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValueError("a card number has 12 to 19 digits")
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return {
        "luhn_valid": total % 10 == 0,
        "network": _network(digits),
        "length": len(digits),
        "last4": digits[-4:],
    }


@api(
    category="Commerce",
    description=(
        "Compares pack offers by unit price (price / quantity) and names the cheapest per unit."
    ),
    params={
        "offers": {
            "type": "array",
            "minItems": 2,
            "maxItems": 20,
            "description": "Offers to compare, each with price and quantity in the same unit.",
            "items": {
                "type": "object",
                "properties": {
                    "price": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "description": "Price of the pack.",
                    },
                    "quantity": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "description": "Amount in the pack.",
                    },
                },
                "required": ["price", "quantity"],
            },
        }
    },
    templates=[
        "Which is the better deal: {offers}?",
        "Compare unit prices of these packs: {offers}",
    ],
    examples=[
        (
            "Is 500 g for 3.49 or 1 kg for 6.29 cheaper per gram?",
            {"offers": [{"price": 3.49, "quantity": 500}, {"price": 6.29, "quantity": 1000}]},
        )
    ],
)
def unit_price_compare(offers: list[dict[str, float]]) -> dict[str, Any]:
    """Cheapest per unit."""
    if len(offers) < 2:
        raise ValueError("give at least two offers")
    units = [o["price"] / o["quantity"] for o in offers]
    best = min(range(len(units)), key=lambda i: units[i])
    return {
        "unit_prices": [round(u, 6) for u in units],
        "best_offer_index": best,
        "savings_vs_worst_pct": round(100 * (1 - units[best] / max(units)), 2),
    }


@api(
    category="Commerce",
    description=(
        "Instalment plan for a purchase: equal payments at a fixed interval from a first date; any "
        "rounding remainder goes to the first payment so the total is exact."
    ),
    params={
        "total": {"type": "number", "exclusiveMinimum": 0, "description": "Purchase total."},
        "installments": {
            "type": "integer",
            "minimum": 2,
            "maximum": 48,
            "description": "Number of payments.",
        },
        "first_payment_date": {
            "type": "string",
            "format": "date",
            "description": "Date of the first payment.",
            "examples": ["2025-03-01", "2024-11-29", "2025-01-15"],
        },
        "interval_days": {
            "type": "integer",
            "enum": [7, 14, 30],
            "description": "Days between payments.",
        },
    },
    templates=[
        "Split {total} into {installments} payments every {interval_days} days starting "
        "{first_payment_date}.",
        "What's the payment schedule for {total} in {installments} instalments from "
        "{first_payment_date}?",
    ],
    examples=[
        (
            "Pay 199.99 in 4 payments every 14 days starting 2025-03-01.",
            {
                "total": 199.99,
                "installments": 4,
                "first_payment_date": "2025-03-01",
                "interval_days": 14,
            },
        )
    ],
)
def installment_schedule(
    total: float, installments: int, first_payment_date: str, interval_days: int = 14
) -> dict[str, Any]:
    """Pay-in-N schedule."""
    try:
        first = dt.date.fromisoformat(first_payment_date)
    except ValueError:
        raise ValueError("first_payment_date must be YYYY-MM-DD") from None
    cents = round(total * 100)
    each, remainder = divmod(cents, installments)
    amounts = [(each + (remainder if i == 0 else 0)) / 100 for i in range(installments)]
    dates = [
        (first + dt.timedelta(days=interval_days * i)).isoformat() for i in range(installments)
    ]
    return {"payments": [{"date": d, "amount": a} for d, a in zip(dates, amounts, strict=True)]}


@api(
    category="Commerce",
    description=(
        "Rounds and formats an amount with the currency's ISO 4217 minor units (JPY 0, USD 2, "
        "KWD 3 decimals)."
    ),
    params={
        "amount": {"type": "number", "description": "Amount of money."},
        "currency": {
            "type": "string",
            "enum": sorted(MINOR_UNITS),
            "description": "ISO 4217 currency code.",
        },
    },
    templates=[
        "Format {amount} {currency} correctly.",
        "How many decimals does {currency} use, and how is {amount} written?",
    ],
    examples=[("How do I write 1234.5 yen?", {"amount": 1234.5, "currency": "JPY"})],
)
def iso4217_amount_rounding(amount: float, currency: str) -> dict[str, Any]:
    """ISO 4217 rounding."""
    digits = MINOR_UNITS[currency]
    record = pycountry.currencies.get(alpha_3=currency)
    # Money rounds half away from zero, not to even as float round() does.
    exact = Decimal(str(amount)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    rounded = float(exact) if digits else int(exact)
    return {
        "currency_name": record.name if record else currency,
        "minor_units": digits,
        "amount": rounded,
        "formatted": f"{rounded:,.{digits}f} {currency}",
    }


@api(
    category="Commerce",
    description=(
        "Arc (midpoint) price elasticity of demand between two price/quantity points, with the "
        "revenue at each and whether demand is elastic."
    ),
    params={
        "price_before": {"type": "number", "exclusiveMinimum": 0, "description": "Initial price."},
        "quantity_before": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Units sold at the initial price.",
        },
        "price_after": {"type": "number", "exclusiveMinimum": 0, "description": "New price."},
        "quantity_after": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Units sold at the new price.",
        },
    },
    templates=[
        "When I raised the price from {price_before} to {price_after}, sales went from "
        "{quantity_before} to {quantity_after}. What's the price elasticity?",
        "Price went from {price_before} to {price_after} and units sold from {quantity_before} "
        "to {quantity_after}: what is the elasticity of demand?",
    ],
    examples=[
        (
            "Price went from 10 to 12 and weekly sales fell from 500 to 420. Elasticity?",
            {"price_before": 10, "quantity_before": 500, "price_after": 12, "quantity_after": 420},
        )
    ],
)
def price_elasticity_of_demand(
    price_before: float, quantity_before: float, price_after: float, quantity_after: float
) -> dict[str, Any]:
    """Midpoint elasticity."""
    if price_before == price_after:
        raise ValueError("the two prices must differ")
    dq = (quantity_after - quantity_before) / ((quantity_after + quantity_before) / 2)
    dp = (price_after - price_before) / ((price_after + price_before) / 2)
    e = dq / dp
    kind = "elastic" if abs(e) > 1 else "inelastic" if abs(e) < 1 else "unit elastic"
    return {
        "elasticity": round(e, 4),
        "demand": kind,
        "revenue_before": _money(price_before * quantity_before),
        "revenue_after": _money(price_after * quantity_after),
    }


@api(
    category="Commerce",
    description=(
        "Last day to return an item: purchase date plus the return window, and days left on a "
        "given date."
    ),
    params={
        "purchase_date": {
            "type": "string",
            "format": "date",
            "description": "Date of purchase or delivery.",
            "examples": ["2024-11-29", "2025-01-10", "2024-12-24"],
        },
        "return_window_days": {
            "type": "integer",
            "minimum": 1,
            "maximum": 365,
            "description": "Length of the return window in days.",
        },
        "today": {
            "type": "string",
            "format": "date",
            "description": "Date to count days left from.",
            "examples": ["2024-12-15", "2025-01-20", "2025-01-05"],
        },
    },
    templates=[
        "I bought it on {purchase_date} with a {return_window_days}-day return policy. Last "
        "day to return?",
        "As of {today}, how many days are left to return something bought {purchase_date} "
        "({return_window_days} days)?",
    ],
    examples=[
        (
            "Bought on 2024-11-29, 30-day returns, today is 2024-12-15: days left?",
            {"purchase_date": "2024-11-29", "return_window_days": 30, "today": "2024-12-15"},
        )
    ],
)
def return_deadline(purchase_date: str, return_window_days: int, today: str) -> dict[str, Any]:
    """Return-window deadline."""
    try:
        bought, now = dt.date.fromisoformat(purchase_date), dt.date.fromisoformat(today)
    except ValueError:
        raise ValueError("dates must be YYYY-MM-DD") from None
    last = bought + dt.timedelta(days=return_window_days)
    left = (last - now).days
    return {
        "last_return_date": last.isoformat(),
        "weekday": last.strftime("%A"),
        "days_left": left,
        "still_returnable": left >= 0,
    }
