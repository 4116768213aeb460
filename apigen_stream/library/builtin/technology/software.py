"""Technology APIs for software work: versions, schedules, hashes, tokens and identifiers."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import uuid
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Technology"

# The official Semantic Versioning 2.0.0 regular expression (semver.org, FAQ).
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_VERSION_EXAMPLES = ["1.4.2", "2.0.0-rc.1", "0.9.12", "3.1.0+build.7"]


def _semver(text: str) -> tuple[int, int, int, str | None, str | None]:
    match = _SEMVER.match(text.strip().removeprefix("v"))
    if not match:
        raise ValueError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch, pre, build = match.groups()
    return int(major), int(minor), int(patch), pre, build


def _pre_key(pre: str | None) -> tuple[Any, ...]:
    # A release sorts after all its pre-releases; numeric identifiers sort below alphanumeric.
    if pre is None:
        return (1,)
    ids = [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")]
    return (0, *ids)


@api(
    category=CATEGORY,
    description=(
        "Compare two Semantic Versioning 2.0.0 versions by precedence (build metadata "
        "ignored): returns -1, 0 or 1, which is newer, and which part differs."
    ),
    params={
        "version_a": {
            "type": "string",
            "description": "First version.",
            "examples": _VERSION_EXAMPLES,
        },
        "version_b": {
            "type": "string",
            "description": "Second version.",
            "examples": ["1.10.0", "2.0.0", "0.9.2", "3.1.0-alpha"],
        },
    },
    templates=[
        "Is version {version_a} newer than {version_b}?",
        "Compare semver {version_a} and {version_b}.",
    ],
    examples=[
        ("Which is newer, 2.0.0-rc.1 or 2.0.0?", {"version_a": "2.0.0-rc.1", "version_b": "2.0.0"})
    ],
)
def semver_compare(version_a: str, version_b: str) -> dict[str, Any]:
    """semver.org §11 precedence."""
    a, b = _semver(version_a), _semver(version_b)
    key_a, key_b = (*a[:3], _pre_key(a[3])), (*b[:3], _pre_key(b[3]))
    result = (key_a > key_b) - (key_a < key_b)
    parts = ["major", "minor", "patch", "prerelease"]
    differs = next((p for p, x, y in zip(parts, key_a, key_b, strict=True) if x != y), None)
    newer = {1: version_a, -1: version_b, 0: None}[result]
    return {"comparison": result, "newer": newer, "differs_in": differs}


@api(
    category=CATEGORY,
    description=(
        "Next Semantic Versioning 2.0.0 version after a major, minor or patch bump (or the "
        "release of a pre-release), dropping pre-release and build metadata as the spec says."
    ),
    params={
        "version": {
            "type": "string",
            "description": "Current version.",
            "examples": _VERSION_EXAMPLES,
        },
        "part": {
            "type": "string",
            "enum": ["major", "minor", "patch", "release"],
            "description": "What to bump.",
        },
    },
    templates=[
        "What is the next {part} version after {version}?",
        "Bump {version} by a {part} release.",
    ],
    examples=[
        ("We're on 1.4.2 and add a feature: next version?", {"version": "1.4.2", "part": "minor"})
    ],
)
def semver_bump(version: str, part: str) -> dict[str, str]:
    """A pre-release of X.Y.Z bumps to X.Y.Z itself on 'patch' or 'release' (npm's rule)."""
    major, minor, patch, pre, _ = _semver(version)
    if part == "major":
        nxt = (major + 1, 0, 0) if not (pre and minor == patch == 0) else (major, 0, 0)
    elif part == "minor":
        nxt = (major, minor + 1, 0) if not (pre and patch == 0) else (major, minor, 0)
    elif part == "patch":
        nxt = (major, minor, patch + 1) if not pre else (major, minor, patch)
    elif part == "release":
        nxt = (major, minor, patch)
    else:
        raise ValueError(f"unknown part {part!r}")
    return {"previous": version, "next": ".".join(map(str, nxt))}


@api(
    category=CATEGORY,
    description=(
        "The next run times of a cron expression (5 fields, or 6 with seconds) after a given "
        "start time, as ISO timestamps in the same (naive, wall-clock) time."
    ),
    params={
        "expression": {
            "type": "string",
            "description": "Cron expression: minute hour day-of-month month day-of-week.",
            "examples": ["*/15 * * * *", "0 9 * * 1-5", "30 2 1 * *", "0 0 * * 0"],
        },
        "start": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$",
            "description": "Start time, YYYY-MM-DDTHH:MM.",
            "examples": ["2024-07-15T08:00", "2024-12-31T23:59", "2025-02-28T12:00"],
        },
        "count": {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many runs."},
    },
    templates=[
        "When will the cron job '{expression}' run next after {start}?",
        "List the next {count} run times of {expression} starting {start}.",
    ],
    examples=[
        (
            "When does '0 9 * * 1-5' fire next after 2024-07-15T08:00? Give 5 times.",
            {"expression": "0 9 * * 1-5", "start": "2024-07-15T08:00", "count": 5},
        )
    ],
)
def cron_next_run_times(expression: str, start: str, count: int = 5) -> dict[str, Any]:
    """croniter, so day-of-month/day-of-week OR semantics match Vixie cron."""
    from croniter import CroniterError, croniter  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    try:
        begin = dt.datetime.fromisoformat(start)
        it = croniter(expression, begin)
        runs = [it.get_next(dt.datetime).isoformat(timespec="minutes") for _ in range(count)]
    except (CroniterError, ValueError) as exc:
        raise ValueError(f"invalid cron expression or start: {exc}") from None
    return {"expression": expression, "runs": runs}


@api(
    category=CATEGORY,
    description=(
        "Cryptographic hash of a text (UTF-8) as lowercase hex: MD5, SHA-1, SHA-2 or SHA-3."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Text to hash.",
            "examples": [
                "hello world",
                "The quick brown fox jumps over the lazy dog",
                "password123",
            ],
        },
        "algorithm": {
            "type": "string",
            "enum": ["md5", "sha1", "sha256", "sha512", "sha3_256"],
            "description": "Hash algorithm.",
        },
    },
    templates=[
        "What is the {algorithm} hash of '{text}'?",
        "Hash the string '{text}' with {algorithm}.",
    ],
    examples=[("SHA-256 of 'hello world'?", {"text": "hello world", "algorithm": "sha256"})],
)
def text_hash_digest(text: str, algorithm: str = "sha256") -> dict[str, str]:
    """hashlib."""
    if algorithm not in ("md5", "sha1", "sha256", "sha512", "sha3_256"):
        raise ValueError(f"unsupported algorithm {algorithm!r}")
    return {"algorithm": algorithm, "hex_digest": hashlib.new(algorithm, text.encode()).hexdigest()}


_JWT_EXAMPLES = [
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
    "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIiwiaWF0Ijox"
    "NzE3MjAwMDAwLCJleHAiOjE3MTcyMDM2MDB9.N6n6cJQAPOF0qP-bE18aX8W8-6dqWkRiaAt3bnGblk4",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20iLCJhdWQi"
    "OiJhcGkiLCJzdWIiOiJzdmMtNyIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDg2NDAwfQ.cSJOtBys1Jm6EcC"
    "ZGS6qhl-QQUE5lKfcT-FchdfrYpU",
]


def _b64url_json(part: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise ValueError("token part is not base64url-encoded JSON") from None


@api(
    category=CATEGORY,
    description=(
        "Decode a JSON Web Token's header and claims (issued/expiry times as UTC ISO dates) and, "
        "if a secret is given, verify an HS256 signature."
    ),
    params={
        "token": {
            "type": "string",
            "description": "The compact JWT (three dot-separated parts).",
            "examples": _JWT_EXAMPLES,
        },
        "hs256_secret": {
            "type": ["string", "null"],
            "description": "Shared secret to verify an HS256 signature (null to skip).",
            "examples": ["your-256-bit-secret", "wrong-secret", "s3cr3t"],
        },
    },
    templates=[
        "Decode this JWT: {token}",
        "What claims are in {token}, and is it signed with {hs256_secret}?",
    ],
    examples=[("What's inside this JWT? " + _JWT_EXAMPLES[0], {"token": _JWT_EXAMPLES[0]})],
)
def jwt_decode_claims(token: str, hs256_secret: str | None = None) -> dict[str, Any]:
    """Decoding does not trust the token; only the HMAC check says anything about its origin."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("a JWT has three dot-separated parts")
    header, claims = _b64url_json(parts[0]), _b64url_json(parts[1])
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("JWT header and claims must be JSON objects")
    times = {
        k: dt.datetime.fromtimestamp(claims[k], dt.UTC).isoformat()
        for k in ("iat", "nbf", "exp")
        if isinstance(claims.get(k), int | float)
    }
    result: dict[str, Any] = {"header": header, "claims": claims, "times_utc": times}
    if hs256_secret is not None:
        if header.get("alg") != "HS256":
            raise ValueError(f"cannot verify alg {header.get('alg')!r} with a shared secret")
        mac = hmac.new(hs256_secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256)
        expected = base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
        result["signature_valid"] = hmac.compare_digest(expected, parts[2])
    return result


_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


@api(
    category=CATEGORY,
    description=(
        "Deterministic name-based UUID (version 5, SHA-1; or version 3, MD5) of a name in one "
        "of the RFC 4122 namespaces: the same name always gives the same UUID."
    ),
    params={
        "name": {
            "type": "string",
            "description": "The name to identify (a domain for dns, a URL for url, ...).",
            "examples": ["python.org", "https://example.com/users/42", "apigen-stream"],
        },
        "namespace": {
            "type": "string",
            "enum": sorted(_NAMESPACES),
            "description": "RFC 4122 namespace.",
        },
        "version": {"type": "integer", "enum": [3, 5], "description": "UUID version."},
    },
    templates=[
        "Generate the UUIDv5 for {name} in the {namespace} namespace.",
        "What is the version {version} UUID of '{name}'?",
    ],
    examples=[
        ("UUID v5 for python.org in the DNS namespace?", {"name": "python.org", "namespace": "dns"})
    ],
)
def uuid_from_name(name: str, namespace: str = "dns", version: int = 5) -> dict[str, str]:
    """uuid.uuid5 / uuid.uuid3."""
    if namespace not in _NAMESPACES:
        raise ValueError(f"unknown namespace {namespace!r}")
    make = uuid.uuid5 if version == 5 else uuid.uuid3
    return {
        "uuid": str(make(_NAMESPACES[namespace], name)),
        "urn": make(_NAMESPACES[namespace], name).urn,
    }
