"""Commerce APIs for shoppers and shops: multi-buy offers, coupons, subscriptions, cashback,
charm prices, store conversion, bundles, free-shipping thresholds and cost per use."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Commerce"


def _money(description: str, maximum: float = 10**9) -> dict[str, Any]:
    return {"type": "number", "minimum": 0, "maximum": maximum, "description": description}


@api(
    category=CATEGORY,
    description=(
        "Price of a 'buy X get Y free' offer for a quantity: items paid for, the total, the "
        "effective unit price and the saving against no offer."
    ),
    params={
        "unit_price": _money("Price of one item."),
        "quantity": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Items taken.",
        },
        "buy": {"type": "integer", "minimum": 1, "maximum": 100, "description": "X: items to buy."},
        "get_free": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "Y: items free with each X bought.",
        },
    },
    templates=[
        "With buy {buy} get {get_free} free at {unit_price} each, what do {quantity} cost?",
        "Total for {quantity} items on a buy-{buy}-get-{get_free} offer at {unit_price}?",
    ],
    examples=[
        (
            "Socks are 4.99 a pair, buy 2 get 1 free. What do 7 pairs cost?",
            {"unit_price": 4.99, "quantity": 7, "buy": 2, "get_free": 1},
        )
    ],
)
def buy_x_get_y_price(unit_price: float, quantity: int, buy: int, get_free: int) -> dict[str, Any]:
    """Free items come in whole groups of X + Y; the rest are paid."""
    groups, rest = divmod(quantity, buy + get_free)
    paid = groups * buy + min(rest, buy)
    total = paid * unit_price
    return {
        "items_paid": paid,
        "items_free": quantity - paid,
        "total": round(total, 2),
        "effective_unit_price": round(total / quantity, 4),
        "saving": round((quantity - paid) * unit_price, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Which coupon saves more on a price: a percentage off or a fixed amount off (with an "
        "optional minimum spend), and the price each leaves."
    ),
    params={
        "price": _money("Price before the coupon."),
        "percent_off": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "The percentage coupon.",
        },
        "amount_off": _money("The fixed-amount coupon."),
        "minimum_spend": _money("Spend needed for the fixed-amount coupon (0 for none)."),
    },
    templates=[
        "Is {percent_off}% off or {amount_off} off better on {price}?",
        "Compare coupons on a {price} order: {percent_off}% versus {amount_off} off over "
        "{minimum_spend}.",
    ],
    examples=[
        (
            "On an 85 order, is 20% off or 15 off over 75 better?",
            {"price": 85, "percent_off": 20, "amount_off": 15, "minimum_spend": 75},
        )
    ],
)
def coupon_comparison(
    price: float, percent_off: float, amount_off: float, minimum_spend: float = 0
) -> dict[str, Any]:
    """The percentage wins above amount / percent, when the minimum is met."""
    by_percent = price * (1 - percent_off / 100)
    fixed_ok = price >= minimum_spend
    by_amount = max(price - amount_off, 0.0) if fixed_ok else price
    better = "percent" if by_percent < by_amount else "amount" if by_amount < by_percent else "same"
    return {
        "price_with_percent": round(by_percent, 2),
        "price_with_amount": round(by_amount, 2),
        "better": better,
        "amount_coupon_applies": fixed_ok,
        "break_even_price": round(amount_off / (percent_off / 100), 2) if percent_off else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Subscription or one-time purchase: after how many months a monthly plan costs more than "
        "buying outright, and each one's cost over a given period."
    ),
    params={
        "monthly_price": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10**6,
            "description": "Price per month of the subscription.",
        },
        "one_time_price": _money("Price to buy outright."),
        "months": {
            "type": "integer",
            "minimum": 1,
            "maximum": 600,
            "description": "Months you expect to use it.",
        },
    },
    templates=[
        "Subscribe at {monthly_price} a month or buy for {one_time_price}, over {months} months?",
        "When does a {monthly_price}/month plan cost more than {one_time_price}?",
    ],
    examples=[
        (
            "Software is 12.99 a month or 249 to buy. Which is cheaper over 3 years?",
            {"monthly_price": 12.99, "one_time_price": 249, "months": 36},
        )
    ],
)
def subscription_vs_purchase(
    monthly_price: float, one_time_price: float, months: int
) -> dict[str, Any]:
    """Break-even = one-time price / monthly price."""
    return {
        "break_even_months": math.ceil(one_time_price / monthly_price - 1e-9),
        "subscription_total": round(monthly_price * months, 2),
        "cheaper": "subscription" if monthly_price * months < one_time_price else "purchase",
    }


@api(
    category=CATEGORY,
    description=(
        "Effective price of a purchase after cashback and reward points: the cashback amount, "
        "the points' value, and the net price and total discount percent."
    ),
    params={
        "price": _money("Price paid."),
        "cashback_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Cashback rate in percent.",
        },
        "points_per_unit": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Reward points earned per unit of currency spent.",
        },
        "point_value": _money("Value of one point in currency (0.01 for 1 cent).", 10),
    },
    templates=[
        "What do I really pay for {price} with {cashback_percent}% cashback?",
        "Net price of {price} with {cashback_percent}% back and {points_per_unit} points "
        "per unit worth {point_value} each?",
    ],
    examples=[
        (
            "A 640 TV with 5% cashback and 2 points per dollar worth 1 cent each: what's the "
            "real price?",
            {"price": 640, "cashback_percent": 5, "points_per_unit": 2, "point_value": 0.01},
        )
    ],
)
def cashback_effective_price(
    price: float, cashback_percent: float, points_per_unit: float = 0, point_value: float = 0
) -> dict[str, Any]:
    """Net = price - cashback - points x value."""
    cashback = price * cashback_percent / 100
    points = price * points_per_unit
    net = price - cashback - points * point_value
    return {
        "cashback": round(cashback, 2),
        "points": round(points),
        "points_value": round(points * point_value, 2),
        "net_price": round(net, 2),
        "discount_percent": round(100 * (1 - net / price), 2) if price else 0.0,
    }


@api(
    category=CATEGORY,
    description=(
        "Charm (psychological) price for a price point: the nearest price just below it ending "
        "in .99, .95 or .90, or a round-number 9 ending for large amounts."
    ),
    params={
        "price": {"type": "number", "minimum": 1, "maximum": 10**7, "description": "Target price."},
        "ending": {
            "type": "string",
            "enum": ["99", "95", "90", "9"],
            "description": "Ending: cents .99/.95/.90, or 9 for whole units (1,499).",
        },
    },
    templates=[
        "What charm price ending in {ending} should I use for {price}?",
        "Make {price} a psychological price ending {ending}.",
    ],
    examples=[("What .99 price should I use instead of 20?", {"price": 20, "ending": "99"})],
)
def charm_price(price: float, ending: str = "99") -> dict[str, Any]:
    """The highest price with that ending not above the target."""
    if ending == "9":
        step = 10 ** max(1, len(str(int(price))) - 2)
        value = float(math.floor((price + 1) / step) * step - 1)
    else:
        cents = int(ending) / 100
        value = math.floor(price - cents) + cents
        if value > price:
            value -= 1
    return {"charm_price": round(value, 2), "difference": round(price - value, 2)}


@api(
    category=CATEGORY,
    description=(
        "Online store conversion figures from sessions, orders and revenue: conversion rate, "
        "average order value and revenue per session."
    ),
    params={
        "sessions": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**10,
            "description": "Visits (sessions).",
        },
        "orders": {"type": "integer", "minimum": 0, "maximum": 10**9, "description": "Orders."},
        "revenue": _money("Revenue from those orders.", 10**12),
    },
    templates=[
        "With {sessions} sessions, {orders} orders and {revenue} revenue, what's my "
        "conversion rate?",
        "Store KPIs: {sessions} visits, {orders} orders, {revenue} sales.",
    ],
    examples=[
        (
            "Our shop had 42,000 sessions, 1,050 orders and 68,250 in revenue last month. "
            "Conversion rate and AOV?",
            {"sessions": 42000, "orders": 1050, "revenue": 68250},
        )
    ],
)
def store_conversion_metrics(sessions: int, orders: int, revenue: float) -> dict[str, Any]:
    """CR = orders / sessions; AOV = revenue / orders."""
    return {
        "conversion_rate_percent": round(100 * orders / sessions, 2),
        "average_order_value": round(revenue / orders, 2) if orders else None,
        "revenue_per_session": round(revenue / sessions, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Saving of a bundle against buying its items one by one: the amount and percent saved, "
        "or how much more the bundle costs."
    ),
    params={
        "item_prices": {
            "type": "array",
            "items": {"type": "number", "minimum": 0},
            "minItems": 1,
            "maxItems": 100,
            "description": "Prices of the items bought separately.",
        },
        "bundle_price": _money("Price of the bundle."),
    },
    templates=[
        "Does the {bundle_price} bundle save money over {item_prices}?",
        "Bundle at {bundle_price} against items {item_prices}: saving?",
    ],
    examples=[
        (
            "A camera kit is 899; separately the body, lens and bag are 749, 199 and 49. "
            "How much does the bundle save?",
            {"item_prices": [749, 199, 49], "bundle_price": 899},
        )
    ],
)
def bundle_savings(item_prices: list[float], bundle_price: float) -> dict[str, Any]:
    """Saving = sum of items - bundle."""
    separate = sum(item_prices)
    saving = separate - bundle_price
    return {
        "separate_total": round(separate, 2),
        "saving": round(saving, 2),
        "saving_percent": round(100 * saving / separate, 1) if separate else 0.0,
    }


@api(
    category=CATEGORY,
    description=(
        "Free-shipping threshold check for a cart: how much more to add to ship free, and "
        "whether adding that beats paying the shipping fee."
    ),
    params={
        "cart_total": _money("Cart total now."),
        "threshold": _money("Order value for free shipping."),
        "shipping_fee": _money("Shipping fee below the threshold."),
    },
    templates=[
        "My cart is {cart_total}; shipping is free over {threshold}, else {shipping_fee}. "
        "What should I do?",
        "How far is {cart_total} from free shipping at {threshold}?",
    ],
    examples=[
        (
            "My cart is 41.50, shipping is free from 50, otherwise 5.99. Is it worth adding "
            "something?",
            {"cart_total": 41.5, "threshold": 50, "shipping_fee": 5.99},
        )
    ],
)
def free_shipping_gap(cart_total: float, threshold: float, shipping_fee: float) -> dict[str, Any]:
    """Worth it when the gap is less than the fee (and you want something that costs that)."""
    gap = max(threshold - cart_total, 0.0)
    return {
        "amount_to_add": round(gap, 2),
        "free_shipping_now": gap == 0,
        "adding_beats_fee": 0 < gap < shipping_fee,
        "total_if_paying_fee": round(cart_total + (shipping_fee if gap else 0), 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Cost per use of a purchase (cost per wear for clothes): price divided by the times it "
        "will be used over its life, to compare a cheap item and a durable one."
    ),
    params={
        "price": _money("Purchase price."),
        "uses_per_week": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Times used per week.",
        },
        "years": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Years it will last.",
        },
    },
    templates=[
        "What's the cost per use of a {price} item used {uses_per_week} times a week "
        "for {years} years?",
        "Cost per wear: {price}, {uses_per_week}x a week, {years} years.",
    ],
    examples=[
        (
            "Boots cost 220, I'd wear them 3 times a week for 4 years. Cost per wear?",
            {"price": 220, "uses_per_week": 3, "years": 4},
        )
    ],
)
def cost_per_use(price: float, uses_per_week: float, years: float) -> dict[str, Any]:
    """Uses = per week x 52.18 x years."""
    uses = uses_per_week * 52.1775 * years
    return {"uses": round(uses), "cost_per_use": round(price / uses, 3)}
