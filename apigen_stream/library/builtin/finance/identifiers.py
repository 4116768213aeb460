"""Finance APIs for identifiers and money formats: IBAN, ISIN, locale currency formatting."""

from __future__ import annotations

from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Finance"


@api(
    category=CATEGORY,
    description=(
        "Validate an IBAN (International Bank Account Number): check digits, national format, "
        "and return the country, check digits, the BBAN and the printable grouped form."
    ),
    params={
        "iban": {
            "type": "string",
            "minLength": 15,
            "maxLength": 42,
            "description": "The IBAN, with or without spaces.",
            "examples": [
                "GB82 WEST 1234 5698 7654 32",
                "DE89370400440532013000",
                "FR1420041010050500013M02606",
            ],
        }
    },
    templates=[
        "Is {iban} a valid IBAN?",
        "Check this bank account number for me: {iban}",
    ],
    examples=[
        ("Can you validate the IBAN DE89370400440532013000?", {"iban": "DE89370400440532013000"})
    ],
)
def iban_validate(iban: str) -> dict[str, Any]:
    """ISO 13616 checks via python-stdnum; an invalid IBAN is a result, not an error."""
    import pycountry  # noqa: PLC0415 - loaded on first use
    from stdnum import iban as stdiban  # noqa: PLC0415 - loaded on first use
    from stdnum.exceptions import ValidationError  # noqa: PLC0415 - loaded on first use

    compact = stdiban.compact(iban)
    try:
        stdiban.validate(compact)
    except ValidationError as exc:
        return {"valid": False, "iban": compact, "reason": str(exc)}
    country = pycountry.countries.get(alpha_2=compact[:2])
    return {
        "valid": True,
        "iban": compact,
        "formatted": stdiban.format(compact),
        "country_code": compact[:2],
        "country": country.name if country else None,
        "check_digits": compact[2:4],
        "bban": compact[4:],
    }


@api(
    category=CATEGORY,
    description=(
        "Validate an ISIN (International Securities Identification Number, ISO 6166): checksum, "
        "issuing country and the national security identifier it contains."
    ),
    params={
        "isin": {
            "type": "string",
            "pattern": "^[A-Za-z]{2}[A-Za-z0-9]{9}[0-9]$",
            "description": "The 12-character ISIN.",
            "examples": ["US0378331005", "DE0007164600", "GB0002634946"],
        }
    },
    templates=["Is {isin} a valid ISIN?", "Which country issued the security with ISIN {isin}?"],
    examples=[("Validate ISIN US0378331005 (Apple).", {"isin": "US0378331005"})],
)
def isin_validate(isin: str) -> dict[str, Any]:
    """Luhn-over-letters checksum via python-stdnum."""
    import pycountry  # noqa: PLC0415 - loaded on first use
    from stdnum import isin as stdisin  # noqa: PLC0415 - loaded on first use
    from stdnum.exceptions import ValidationError  # noqa: PLC0415 - loaded on first use

    code = stdisin.compact(isin)
    try:
        stdisin.validate(code)
    except ValidationError as exc:
        return {"valid": False, "isin": code, "reason": str(exc)}
    country = pycountry.countries.get(alpha_2=code[:2])
    return {
        "valid": True,
        "isin": code,
        "country_code": code[:2],
        "country": country.name if country else None,
        "national_identifier": code[2:11],
        "check_digit": code[11],
    }


@api(
    category=CATEGORY,
    description=(
        "Format a money amount the way a given locale writes it (symbol, separators, decimals "
        "of the currency), using Unicode CLDR data; also returns the currency's name and "
        "standard number of decimals."
    ),
    params={
        "amount": {"type": "number", "description": "The amount to format."},
        "currency": {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 currency code.",
            "examples": ["EUR", "JPY", "USD", "INR"],
        },
        "locale": {
            "type": "string",
            "description": "CLDR locale identifier (language_TERRITORY).",
            "examples": ["de_DE", "en_US", "ja_JP", "fr_CH"],
        },
    },
    templates=[
        "How is {amount} {currency} written in the {locale} locale?",
        "Format {amount} in {currency} for a {locale} audience.",
    ],
    examples=[
        (
            "How would a German write 1234.5 euros?",
            {"amount": 1234.5, "currency": "EUR", "locale": "de_DE"},
        )
    ],
)
def currency_amount_format(amount: float, currency: str, locale: str = "en_US") -> dict[str, Any]:
    """babel.numbers formatting from CLDR."""
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415 - loaded on first use
    from babel.numbers import format_currency, get_currency_name, get_currency_precision  # noqa: PLC0415 - loaded on first use

    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {locale!r}") from exc
    if currency not in loc.currencies:
        raise ValueError(f"unknown currency code {currency!r}")
    return {
        "formatted": format_currency(amount, currency, locale=loc),
        "currency_name": get_currency_name(currency, locale="en"),
        "decimal_digits": get_currency_precision(currency),
    }
