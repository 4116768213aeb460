"""Offline implementations of a few tools that real xlam and BFCL rows define by schema only:
registered beside those tool files, they make the rows' tools executable."""

from __future__ import annotations

import math

from apigen_stream.library.python_import import tool

# Domains of well-known throwaway mail services: enough to tell the two answers apart.
DISPOSABLE_DOMAINS = frozenset({"mailinator.com", "10minutemail.com", "guerrillamail.com"})


@tool(category="Communication")
def mailcheck(domain: str) -> dict[str, object]:
    """Check whether an email domain is disposable.

    Args:
        domain: The email address or its domain.
    """
    host = domain.rsplit("@", 1)[-1].lower()
    return {"domain": host, "valid": "." in host, "disposable": host in DISPOSABLE_DOMAINS}


@tool(category="Commerce")
def get_products_in_category(skip: int, limit: int, category: str) -> dict[str, object]:
    """A page of product ids of a category.

    Args:
        skip: Products to skip.
        limit: Products to return.
        category: The category.
    """
    return {
        "category": category,
        "products": [f"{category}-{i}" for i in range(skip, skip + limit)],
    }


@tool(category="Commerce")
def navigations_get_node_content(
    is_id: int, cat_id: int, language: str = "en", currency: str = "USD", country: str = "US"
) -> dict[str, object]:
    """The content of a navigation node.

    Args:
        is_id: The node id.
        cat_id: The category id.
        language: Two-letter language code.
        currency: Three-letter currency code.
        country: Two-letter country code.
    """
    return {
        "node": is_id,
        "category": cat_id,
        "locale": f"{language}-{country}",
        "currency": currency,
    }


@tool(category="Math", name="math.factorial")
def factorial(number: int) -> int:
    """The factorial of a number.

    Args:
        number: A non-negative integer.
    """
    return math.factorial(number)
