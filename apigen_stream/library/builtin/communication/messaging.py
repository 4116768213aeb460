"""Messaging APIs: SMS segments, email syntax, call hours, Q codes, braille, vanity numbers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apigen_stream.library.builtin.communication.phones_and_codes import GSM_BASIC, GSM_EXTENSION
from apigen_stream.library.registry import api


@api(
    category="Communication",
    description=(
        "SMS length check: encoding (GSM-7 or UCS-2), characters used, and number of message "
        "segments (160/153 GSM-7, 70/67 UCS-2 per 3GPP TS 23.038/23.040)."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": 5000,
            "description": "Message text.",
            "examples": [
                "Your code is 123456",
                "Meet at 5pm? 😀",
                "Hi Anna, the parcel arrives tomorrow between 9:00 and 12:00. Reply STOP to "
                "opt out.",
            ],
        }
    },
    templates=[
        "How many SMS segments is this message: {text}",
        "Will '{text}' fit in one text message?",
    ],
    examples=[("How many SMS parts is 'Your code is 123456'?", {"text": "Your code is 123456"})],
)
def sms_segment_count(text: str) -> dict[str, Any]:
    """GSM/UCS-2 segmentation."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // multi)
    return {
        "encoding": encoding,
        "length_units": units,
        "segments": segments,
        "remaining_in_last": (single if segments == 1 else segments * multi) - units,
    }


_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@api(
    category="Communication",
    description=(
        "Checks an email address's syntax (RFC 5321/5322 dot-atom form, length limits, domain "
        "labels; no network lookup) and returns its local part and normalised domain."
    ),
    params={
        "email": {
            "type": "string",
            "minLength": 3,
            "maxLength": 320,
            "description": "Email address.",
            "examples": [
                "jane.doe@example.com",
                "bad..dots@example.com",
                "user+tag@mail.example.co.uk",
            ],
        }
    },
    templates=["Is {email} a valid email address?", "Check the syntax of the email {email}."],
    examples=[("Is jane.doe@example.com a valid address?", {"email": "jane.doe@example.com"})],
)
def email_address_check(email: str) -> dict[str, Any]:
    """Email syntax check."""
    local, at, domain = email.strip().rpartition("@")
    problems = []
    if not at or not local:
        problems.append("missing local part or @")
    elif len(local) > 64 or not _LOCAL.match(local):
        problems.append("invalid local part")
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        problems.append("invalid domain")
    elif labels[-1].isdigit():
        problems.append("top-level domain cannot be numeric")
    return {
        "valid": not problems,
        "problems": problems,
        "local_part": local,
        "domain": domain.lower(),
    }


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


_TZ_A = {
    "type": "string",
    "description": "IANA time zone of the first person.",
    "examples": ["America/New_York", "Europe/London", "America/Los_Angeles"],
}
_TZ_B = {
    "type": "string",
    "description": "IANA time zone of the second person.",
    "examples": ["Asia/Tokyo", "Europe/Berlin", "Asia/Kolkata"],
}


@api(
    category="Communication",
    description=(
        "Overlap of two people's working hours on a date across time zones (IANA tz database), "
        "in each person's local time and UTC, to schedule a call."
    ),
    params={
        "timezone_a": _TZ_A,
        "timezone_b": _TZ_B,
        "date": {
            "type": "string",
            "format": "date",
            "description": "Date of the call.",
            "examples": ["2025-03-12", "2024-11-04", "2025-07-01"],
        },
        "work_start_hour": {
            "type": "integer",
            "minimum": 0,
            "maximum": 23,
            "description": "Local start of the working day (hour).",
        },
        "work_hours": {
            "type": "integer",
            "minimum": 1,
            "maximum": 16,
            "description": "Length of the working day in hours.",
        },
    },
    templates=[
        "When can someone in {timezone_a} call someone in {timezone_b} on {date} during work "
        "hours?",
        "Find overlapping working hours between {timezone_a} and {timezone_b} on {date} "
        "({work_hours} h from {work_start_hour}:00).",
    ],
    examples=[
        (
            "When can New York and London both meet on 2025-03-12?",
            {"timezone_a": "America/New_York", "timezone_b": "Europe/London", "date": "2025-03-12"},
        )
    ],
)
def working_hours_overlap(
    timezone_a: str, timezone_b: str, date: str, work_start_hour: int = 9, work_hours: int = 8
) -> dict[str, Any]:
    """Shared working window."""
    day = dt.date.fromisoformat(date)
    za, zb = _zone(timezone_a), _zone(timezone_b)

    def window(z: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(day, dt.time(work_start_hour), z)
        return start.astimezone(dt.UTC), (start + dt.timedelta(hours=work_hours)).astimezone(dt.UTC)

    (a0, a1), (b0, b1) = window(za), window(zb)
    start, end = max(a0, b0), min(a1, b1)
    if start >= end:
        return {"overlap_hours": 0.0, "utc": None, "local_a": None, "local_b": None}
    hm = "%H:%M"
    return {
        "overlap_hours": (end - start).total_seconds() / 3600,
        "utc": f"{start.strftime(hm)}-{end.strftime(hm)}",
        "local_a": f"{start.astimezone(za).strftime(hm)}-{end.astimezone(za).strftime(hm)}",
        "local_b": f"{start.astimezone(zb).strftime(hm)}-{end.astimezone(zb).strftime(hm)}",
    }


# Q codes as question/answer pairs (ITU-R M.1172 and amateur radio usage).
Q_CODES = {
    "QRL": ("Is the frequency busy?", "The frequency is busy."),
    "QRM": ("Is my transmission being interfered with?", "There is man-made interference."),
    "QRN": ("Are you troubled by static?", "I am troubled by static."),
    "QRO": ("Shall I increase power?", "Increase power."),
    "QRP": ("Shall I decrease power?", "Decrease power."),
    "QRQ": ("Shall I send faster?", "Send faster."),
    "QRS": ("Shall I send more slowly?", "Send more slowly."),
    "QRT": ("Shall I stop sending?", "Stop sending."),
    "QRV": ("Are you ready?", "I am ready."),
    "QRX": ("When will you call me again?", "I will call you again; wait."),
    "QRZ": ("Who is calling me?", "You are being called by ..."),
    "QSB": ("Are my signals fading?", "Your signals are fading."),
    "QSL": ("Can you acknowledge receipt?", "I acknowledge receipt."),
    "QSO": ("Can you communicate with ... direct?", "I can communicate with ... direct."),
    "QSY": ("Shall I change frequency?", "Change to another frequency."),
    "QTH": ("What is your position (location)?", "My position (location) is ..."),
    "QTR": ("What is the correct time?", "The correct time is ..."),
}


@api(
    category="Communication",
    description=(
        "Meaning of a radio Q code (e.g. QTH, QSL, QRZ) as the question (with ?) and the "
        "statement it stands for."
    ),
    params={
        "code": {"type": "string", "enum": sorted(Q_CODES), "description": "Three-letter Q code."},
        "as_question": {
            "type": "boolean",
            "description": "Whether the code was sent with a question mark.",
        },
    },
    templates=[
        "What does {code} mean on the radio?",
        "A ham sent '{code}' {as_question}. What does it mean?",
    ],
    examples=[("What does QTH mean in ham radio?", {"code": "QTH"})],
)
def radio_q_code_lookup(code: str, as_question: bool = False) -> dict[str, str]:
    """Q-code meaning."""
    question, answer = Q_CODES[code]
    return {
        "code": code,
        "meaning": question if as_question else answer,
        "question": question,
        "statement": answer,
    }


# Unicode Braille patterns for uncontracted (grade 1) English braille.
BRAILLE = dict(zip("abcdefghijklmnopqrstuvwxyz", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", strict=True))
BRAILLE |= {
    " ": "⠀",
    ",": "⠂",
    ";": "⠆",
    ":": "⠒",
    ".": "⠲",
    "!": "⠖",
    "?": "⠦",
    "'": "⠄",
    "-": "⠤",
}
DIGIT_LETTER = dict(zip("1234567890", "abcdefghij", strict=True))
CAPITAL, NUMBER = "⠠", "⠼"


@api(
    category="Communication",
    description=(
        "Transcribes English text into uncontracted (grade 1) Unicode braille, with capital and "
        "number indicators."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1000,
            "description": "Text to transcribe.",
            "examples": ["Hello world", "Room 42", "Exit"],
        }
    },
    templates=["Write {text} in braille.", "How is '{text}' written in grade 1 braille?"],
    examples=[("How do you write 'Room 42' in braille?", {"text": "Room 42"})],
)
def braille_transcribe(text: str) -> dict[str, Any]:
    """Grade 1 braille."""
    cells, in_number = [], False
    for ch in text:
        if ch.isdigit():
            cells.append(("" if in_number else NUMBER) + BRAILLE[DIGIT_LETTER[ch]])
            in_number = True
            continue
        in_number = False
        low = ch.lower()
        if low not in BRAILLE:
            raise ValueError(f"no grade 1 braille cell for {ch!r}")
        cells.append((CAPITAL if ch.isupper() else "") + BRAILLE[low])
    braille = "".join(cells)
    return {"braille": braille, "cells": len(braille)}


# Letter groups of the telephone keypad (ITU-T E.161).
KEYPAD = {
    c: d
    for d, letters in {
        "2": "ABC",
        "3": "DEF",
        "4": "GHI",
        "5": "JKL",
        "6": "MNO",
        "7": "PQRS",
        "8": "TUV",
        "9": "WXYZ",
    }.items()
    for c in letters
}


@api(
    category="Communication",
    description=(
        "Converts a vanity phone number with letters (e.g. 1-800-FLOWERS) to the digits to dial "
        "(ITU-T E.161 keypad)."
    ),
    params={
        "vanity_number": {
            "type": "string",
            "minLength": 3,
            "maxLength": 40,
            "description": "Number with letters.",
            "examples": ["1-800-FLOWERS", "1-800-GOT-JUNK", "0800 CALL NOW"],
        }
    },
    templates=[
        "What digits do I dial for {vanity_number}?",
        "Convert the vanity number {vanity_number} to digits.",
    ],
    examples=[("What number is 1-800-FLOWERS?", {"vanity_number": "1-800-FLOWERS"})],
)
def vanity_number_to_digits(vanity_number: str) -> dict[str, str]:
    """Letters to keypad digits."""
    out = []
    for ch in vanity_number.upper():
        if ch.isdigit() or ch in "+*#":
            out.append(ch)
        elif ch in KEYPAD:
            out.append(KEYPAD[ch])
        elif ch not in " -().":
            raise ValueError(f"unexpected character {ch!r}")
    return {"digits": "".join(out)}


@api(
    category="Communication",
    description=(
        "Builds a mailto: link (RFC 6068) with recipient, subject and body, percent-encoded so "
        "it opens a prefilled email."
    ),
    params={
        "to": {
            "type": "string",
            "minLength": 3,
            "maxLength": 320,
            "description": "Recipient address.",
            "examples": ["support@example.com", "sales@example.org", "jane.doe@example.com"],
        },
        "subject": {
            "type": "string",
            "maxLength": 200,
            "description": "Subject line.",
            "examples": ["Order #1234", "Meeting next week", "Question about my invoice"],
        },
        "body": {
            "type": "string",
            "maxLength": 2000,
            "description": "Message body.",
            "examples": ["Hello,\nI have a question.", "See you then!", "Thanks & regards"],
        },
    },
    templates=[
        "Make a mailto link to {to} with subject {subject}.",
        "Create an email link to {to}, subject '{subject}', body '{body}'.",
    ],
    examples=[
        (
            "Make a mailto link to support@example.com with subject 'Order #1234'.",
            {"to": "support@example.com", "subject": "Order #1234"},
        )
    ],
)
def mailto_link(to: str, subject: str = "", body: str = "") -> dict[str, str]:
    """RFC 6068 mailto URI."""
    if not email_address_check(to)["valid"]:
        raise ValueError(f"{to!r} is not a valid email address")
    fields = [
        f"{k}={quote(v, safe='')}"
        for k, v in (("subject", subject), ("body", body.replace(chr(10), chr(13) + chr(10))))
        if v
    ]
    return {"mailto": f"mailto:{quote(to, safe='@')}" + ("?" + "&".join(fields) if fields else "")}
