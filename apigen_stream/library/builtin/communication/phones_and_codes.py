"""Communication APIs: phone numbers (libphonenumber data), Morse code, spelling alphabet."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from apigen_stream.library.registry import api

REGIONS = ["US", "GB", "DE", "FR", "IN", "JP", "BR", "AU", "CA", "MX", "ES", "IT", "NG", "ZA", "CN"]
_REGION = {
    "type": "string",
    "enum": REGIONS,
    "description": "ISO 3166-1 alpha-2 region used for numbers without +country code.",
}
# Number types libphonenumber has an example of in every region offered.
_NUMBER_TYPES = {
    "mobile": phonenumbers.PhoneNumberType.MOBILE,
    "fixed_line": phonenumbers.PhoneNumberType.FIXED_LINE,
    "toll_free": phonenumbers.PhoneNumberType.TOLL_FREE,
}
_TYPE_NAMES = {v: k for k, v in _NUMBER_TYPES.items()} | {
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.SHARED_COST: "shared_cost",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "uan",
}


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"cannot parse phone number {number!r}: {exc}") from None


@api(
    category="Communication",
    description=(
        "Parses and validates a phone number (libphonenumber data): E.164 and international "
        "formats, number type, region, location, original carrier and time zones."
    ),
    params={
        "number": {
            "type": "string",
            "minLength": 3,
            "maxLength": 40,
            "description": "Phone number, national or with +country code.",
            "examples": ["+1 650-253-0000", "+44 20 7946 0958", "+49 30 901820", "+81 3-3224-9999"],
        },
        "default_region": _REGION,
    },
    templates=[
        "Is {number} a valid phone number?",
        "Format {number} in E.164 and tell me where it's from (default region {default_region}).",
    ],
    examples=[
        (
            "Is +44 20 7946 0958 a valid number, and what's its E.164 form?",
            {"number": "+44 20 7946 0958"},
        )
    ],
)
def phone_number_info(number: str, default_region: str = "US") -> dict[str, Any]:
    """libphonenumber facts about a number."""
    # The location and carrier tables take ~0.3 s to load: only this API pays for them.
    from phonenumbers import carrier, geocoder, timezone  # noqa: PLC0415

    parsed = _parse(number, default_region)
    fmt = phonenumbers.PhoneNumberFormat
    return {
        "valid": phonenumbers.is_valid_number(parsed),
        "e164": phonenumbers.format_number(parsed, fmt.E164),
        "international": phonenumbers.format_number(parsed, fmt.INTERNATIONAL),
        "national": phonenumbers.format_number(parsed, fmt.NATIONAL),
        "country_code": parsed.country_code,
        "region": phonenumbers.region_code_for_number(parsed),
        "type": _TYPE_NAMES.get(phonenumbers.number_type(parsed), "unknown"),
        "location": geocoder.description_for_number(parsed, "en"),
        "carrier": carrier.name_for_number(parsed, "en"),
        "time_zones": list(timezone.time_zones_for_number(parsed)),
    }


@api(
    category="Communication",
    description=(
        "An example phone number of a given type for a country (libphonenumber metadata), in "
        "E.164 and international format."
    ),
    params={
        "region": _REGION,
        "number_type": {
            "type": "string",
            "enum": list(_NUMBER_TYPES),
            "description": "Kind of number.",
        },
    },
    templates=[
        "Show me an example {number_type} number in {region}.",
        "What does a {region} {number_type} phone number look like?",
    ],
    examples=[
        ("What does a UK mobile number look like?", {"region": "GB", "number_type": "mobile"})
    ],
)
def phone_number_example(region: str, number_type: str = "mobile") -> dict[str, Any]:
    """Example number for a type."""
    example = phonenumbers.example_number_for_type(region, _NUMBER_TYPES[number_type])
    if example is None:
        raise ValueError(f"libphonenumber has no {number_type} example for {region}")
    fmt = phonenumbers.PhoneNumberFormat
    return {
        "e164": phonenumbers.format_number(example, fmt.E164),
        "international": phonenumbers.format_number(example, fmt.INTERNATIONAL),
    }


@api(
    category="Communication",
    description=(
        "International dialling facts for a country: its calling code, exit (international) "
        "prefix and trunk (national) prefix."
    ),
    params={"region": _REGION},
    templates=[
        "What's the country code for {region}?",
        "How do I dial out of {region}, and what is its calling code?",
    ],
    examples=[("What's the calling code and exit prefix for Japan?", {"region": "JP"})],
)
def country_dialing_codes(region: str) -> dict[str, Any]:
    """Calling code and prefixes."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None:
        raise ValueError(f"no metadata for region {region}")
    return {
        "calling_code": f"+{meta.country_code}",
        "international_prefix": meta.preferred_international_prefix or meta.international_prefix,
        "national_prefix": meta.national_prefix,
    }


# International Morse code (ITU-R M.1677-1).
MORSE = {
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.", "G": "--.", "H": "....",
    "I": "..", "J": ".---", "K": "-.-", "L": ".-..", "M": "--", "N": "-.", "O": "---", "P": ".--.",
    "Q": "--.-", "R": ".-.", "S": "...", "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-",
    "Y": "-.--", "Z": "--..", "0": "-----", "1": ".----", "2": "..---", "3": "...--", "4": "....-",
    "5": ".....", "6": "-....", "7": "--...", "8": "---..", "9": "----.", ".": ".-.-.-",
    ",": "--..--", "?": "..--..", "'": ".----.", "/": "-..-.", "(": "-.--.", ")": "-.--.-",
    ":": "---...", "=": "-...-", "+": ".-.-.", "-": "-....-", '"': ".-..-.", "@": ".--.-.",
}  # fmt: skip
FROM_MORSE = {v: k for k, v in MORSE.items()}


@api(
    category="Communication",
    description=(
        "Translates text to International Morse code (letters separated by spaces, words by "
        "' / '); input made only of dots, dashes and slashes is decoded back to text."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000,
            "description": "Text, or Morse code with dots and dashes.",
            "examples": [
                "SOS",
                "HELLO WORLD",
                "... --- ...",
                ".... . .-.. .-.. --- / .-- --- .-. .-.. -..",
            ],
        },
    },
    templates=["Translate {text} to or from Morse code.", "What is {text} in Morse code?"],
    examples=[("How do you write SOS in Morse code?", {"text": "SOS"})],
)
def morse_code_translate(text: str) -> dict[str, str]:
    """Morse encode/decode; input made only of dots, dashes, slashes and spaces is Morse."""
    if re.fullmatch(r"[.\-/ ]+", text.strip()):
        words = [w.split() for w in text.strip().split("/")]
        try:
            return {
                "text": " ".join("".join(FROM_MORSE[c] for c in w) for w in words),
                "direction": "from_morse",
            }
        except KeyError as exc:
            raise ValueError(f"unknown Morse sequence {exc.args[0]!r}") from None
    unknown = sorted({c for c in text.upper() if c not in MORSE and not c.isspace()})
    if unknown:
        raise ValueError(f"no Morse code for {''.join(unknown)!r}")
    plain = text.upper().split()
    return {
        "morse": " / ".join(" ".join(MORSE[c] for c in w) for w in plain),
        "direction": "to_morse",
    }


# ICAO/ITU radiotelephony spelling alphabet (ICAO Annex 10, Vol. II).
NATO = {
    "A": "Alfa", "B": "Bravo", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot",
    "G": "Golf", "H": "Hotel", "I": "India", "J": "Juliett", "K": "Kilo", "L": "Lima",
    "M": "Mike", "N": "November", "O": "Oscar", "P": "Papa", "Q": "Quebec", "R": "Romeo",
    "S": "Sierra", "T": "Tango", "U": "Uniform", "V": "Victor", "W": "Whiskey", "X": "X-ray",
    "Y": "Yankee", "Z": "Zulu", "0": "Zero", "1": "One", "2": "Two", "3": "Tree",
    "4": "Fower", "5": "Fife", "6": "Six", "7": "Seven", "8": "Eight", "9": "Niner",
}  # fmt: skip


@api(
    category="Communication",
    description=(
        "Spells text with the ICAO/NATO phonetic alphabet (Alfa, Bravo, ...; digits as ICAO "
        "pronounces them)."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Letters and digits to spell.",
            "examples": ["AB12CD", "Smith", "G-EZAB", "X7K9"],
        }
    },
    templates=[
        "Spell {text} in the NATO alphabet.",
        "How do I read {text} over the phone phonetically?",
    ],
    examples=[("Spell my booking code AB12CD phonetically.", {"text": "AB12CD"})],
)
def nato_phonetic_spelling(text: str) -> dict[str, Any]:
    """Phonetic spelling."""
    words = [NATO[c] for c in text.upper() if c in NATO]
    if not words:
        raise ValueError("the text has no letters or digits")
    return {"spelling": " ".join(words), "words": words}


# GSM 03.38 default alphabet and its extension table (3GPP TS 23.038); extension characters
# take two septets.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")
