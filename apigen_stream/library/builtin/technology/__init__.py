"""Technology APIs: networking, web, versions, schedules, hashes, tokens and identifiers."""

from apigen_stream.library.builtin.technology.network import (
    data_transfer_time,
    http_status_code_info,
    ip_address_classify,
    ip_subnet_details,
    mime_type_for_filename,
    url_parse_components,
)
from apigen_stream.library.builtin.technology.software import (
    cron_next_run_times,
    jwt_decode_claims,
    semver_bump,
    semver_compare,
    text_hash_digest,
    uuid_from_name,
)

__all__ = [
    "cron_next_run_times",
    "data_transfer_time",
    "http_status_code_info",
    "ip_address_classify",
    "ip_subnet_details",
    "jwt_decode_claims",
    "mime_type_for_filename",
    "semver_bump",
    "semver_compare",
    "text_hash_digest",
    "url_parse_components",
    "uuid_from_name",
]
