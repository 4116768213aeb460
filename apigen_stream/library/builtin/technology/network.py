"""Technology APIs for networks and the web: subnets, IP addresses, URLs, HTTP, MIME, bandwidth."""

from __future__ import annotations

import ipaddress
import mimetypes
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from apigen_stream.library.registry import api

CATEGORY = "Technology"

# Bytes per unit: decimal SI prefixes and binary IEC prefixes (IEC 80000-13).
_BYTES = {
    "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}  # fmt: skip
# Link speeds are decimal bits per second by convention (IEEE 802.3).
_BITS_PER_SECOND = {"kbps": 10**3, "Mbps": 10**6, "Gbps": 10**9}


@api(
    category=CATEGORY,
    description=(
        "Subnet calculator for an IPv4 or IPv6 network in CIDR notation: network and "
        "broadcast addresses, netmask, wildcard mask, first and last usable host, host count."
    ),
    params={
        "cidr": {
            "type": "string",
            "description": "Network in CIDR notation (host bits may be set).",
            "examples": ["192.168.1.0/24", "10.20.30.40/27", "172.16.0.0/12", "2001:db8::/48"],
        }
    },
    templates=["Give me the subnet details of {cidr}.", "How many hosts fit in {cidr}?"],
    examples=[("What's the broadcast address of 10.20.30.40/27?", {"cidr": "10.20.30.40/27"})],
)
def ip_subnet_details(cidr: str) -> dict[str, Any]:
    """ipaddress with strict=False so an address inside the network is accepted."""
    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError as exc:
        raise ValueError(f"invalid CIDR {cidr!r}: {exc}") from None
    hosts = net.num_addresses
    # RFC 3021 (/31) and single-host (/32, /128) networks have no network/broadcast reserve.
    usable = hosts - 2 if net.version == 4 and net.prefixlen < 31 else hosts
    first = net.network_address + (1 if usable != hosts else 0)
    last = (net.broadcast_address - 1) if usable != hosts else net.broadcast_address
    return {
        "version": net.version,
        "network": str(net.network_address),
        "prefix_length": net.prefixlen,
        "netmask": str(net.netmask),
        "wildcard_mask": str(net.hostmask),
        "broadcast": str(net.broadcast_address) if net.version == 4 else None,
        "first_host": str(first),
        "last_host": str(last),
        "usable_hosts": usable,
        "total_addresses": hosts,
    }


@api(
    category=CATEGORY,
    description=(
        "Classify an IPv4 or IPv6 address: version, private, global, loopback, link-local, "
        "multicast or reserved (IANA special-purpose registries), and its reverse-DNS name."
    ),
    params={
        "address": {
            "type": "string",
            "description": "An IPv4 or IPv6 address.",
            "examples": ["192.168.0.10", "8.8.8.8", "127.0.0.1", "fe80::1", "2606:4700::1111"],
        }
    },
    templates=[
        "Is {address} a private or public IP address?",
        "What kind of IP address is {address}?",
    ],
    examples=[("Is 192.168.0.10 a private IP?", {"address": "192.168.0.10"})],
)
def ip_address_classify(address: str) -> dict[str, Any]:
    """Flags from the ipaddress module, which follows the IANA registries."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise ValueError(f"{address!r} is not an IP address") from None
    return {
        "address": str(ip),
        "version": ip.version,
        "is_private": ip.is_private,
        "is_global": ip.is_global,
        "is_loopback": ip.is_loopback,
        "is_link_local": ip.is_link_local,
        "is_multicast": ip.is_multicast,
        "is_reserved": ip.is_reserved,
        "reverse_pointer": ip.reverse_pointer,
    }


@api(
    category=CATEGORY,
    description=(
        "Split a URL into its parts: scheme, host, port (explicit or the scheme's default), "
        "path, query parameters (as lists of values) and fragment."
    ),
    params={
        "url": {
            "type": "string",
            "description": "An absolute URL.",
            "examples": [
                "https://example.com:8443/search?q=kafka&page=2#results",
                "http://api.example.org/v1/users/42?fields=name,email",
                "ftp://files.example.net/pub/readme.txt",
            ],
        }
    },
    templates=[
        "Break down this URL: {url}",
        "What are the host, path and query parameters of {url}?",
    ],
    examples=[
        (
            "Parse https://example.com:8443/search?q=kafka&page=2#results",
            {"url": "https://example.com:8443/search?q=kafka&page=2#results"},
        )
    ],
)
def url_parse_components(url: str) -> dict[str, Any]:
    """urllib.parse (RFC 3986)."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"{url!r} is not an absolute URL")
    default_ports = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}
    try:
        port = parts.port or default_ports.get(parts.scheme)
    except ValueError:
        raise ValueError(f"invalid port in {url!r}") from None
    return {
        "scheme": parts.scheme,
        "host": parts.hostname,
        "port": port,
        "path": parts.path or "/",
        "query": parse_qs(parts.query),
        "fragment": parts.fragment or None,
    }


@api(
    category=CATEGORY,
    description=(
        "Meaning of an HTTP status code: its reason phrase, description, class "
        "(informational, success, redirection, client error, server error) and whether to retry."
    ),
    params={
        "code": {"type": "integer", "minimum": 100, "maximum": 599, "description": "Status code."}
    },
    templates=["What does HTTP status {code} mean?", "My API returned {code}. What is that?"],
    examples=[("What does a 429 status code mean?", {"code": 429})],
)
def http_status_code_info(code: int) -> dict[str, Any]:
    """Python's http.HTTPStatus registry (IANA HTTP status code registry)."""
    try:
        status = HTTPStatus(code)
    except ValueError:
        raise ValueError(f"{code} is not a registered HTTP status code") from None
    classes = {
        1: "informational",
        2: "success",
        3: "redirection",
        4: "client error",
        5: "server error",
    }
    # Retry only where RFC 9110/6585 say a later request may succeed.
    retryable = code in (408, 425, 429, 500, 502, 503, 504)
    return {
        "code": code,
        "phrase": status.phrase,
        "description": status.description,
        "class": classes[code // 100],
        "retryable": retryable,
    }


@api(
    category=CATEGORY,
    description=(
        "The MIME (media) type and content encoding for a file name from its extension, "
        "using Python's built-in table (not the host's)."
    ),
    params={
        "filename": {
            "type": "string",
            "description": "A file name or path.",
            "examples": ["report.pdf", "photo.jpeg", "archive.tar.gz", "index.html", "data.json"],
        }
    },
    templates=[
        "What is the MIME type of {filename}?",
        "Which Content-Type header should I send for {filename}?",
    ],
    examples=[("What Content-Type is report.pdf?", {"filename": "report.pdf"})],
)
def mime_type_for_filename(filename: str) -> dict[str, Any]:
    """A fresh MimeTypes() holds only the built-in defaults, so answers do not vary by machine."""
    mime_type, encoding = mimetypes.MimeTypes().guess_type(filename, strict=False)
    return {"filename": filename, "mime_type": mime_type, "encoding": encoding}


@api(
    category=CATEGORY,
    description=(
        "Time to transfer a file of a given size over a link of a given speed, in seconds "
        "and as H:MM:SS (raw line rate, no protocol overhead)."
    ),
    params={
        "size": {"type": "number", "exclusiveMinimum": 0, "description": "File size."},
        "size_unit": {"type": "string", "enum": sorted(_BYTES), "description": "Size unit."},
        "speed": {"type": "number", "exclusiveMinimum": 0, "description": "Link speed."},
        "speed_unit": {
            "type": "string",
            "enum": sorted(_BITS_PER_SECOND),
            "description": "Speed unit.",
        },
    },
    templates=[
        "How long to download {size} {size_unit} at {speed} {speed_unit}?",
        "Transfer time for a {size} {size_unit} file over a {speed} {speed_unit} connection?",
    ],
    examples=[
        (
            "How long does a 4.7 GB download take on a 100 Mbps line?",
            {"size": 4.7, "size_unit": "GB", "speed": 100, "speed_unit": "Mbps"},
        )
    ],
)
def data_transfer_time(
    size: float, size_unit: str, speed: float, speed_unit: str
) -> dict[str, Any]:
    """seconds = bytes × 8 / (bits per second)."""
    if size_unit not in _BYTES or speed_unit not in _BITS_PER_SECOND:
        raise ValueError(f"unknown unit {size_unit!r} or {speed_unit!r}")
    seconds = size * _BYTES[size_unit] * 8 / (speed * _BITS_PER_SECOND[speed_unit])
    whole = round(seconds)
    return {
        "seconds": round(seconds, 3),
        "duration": f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}",
    }
