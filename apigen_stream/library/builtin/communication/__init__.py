"""Communication APIs: phone numbers, SMS, email, Morse, radio codes, meeting hours."""

from apigen_stream.library.builtin.communication.messaging import (
    braille_transcribe,
    email_address_check,
    mailto_link,
    radio_q_code_lookup,
    sms_segment_count,
    vanity_number_to_digits,
    working_hours_overlap,
)
from apigen_stream.library.builtin.communication.phones_and_codes import (
    country_dialing_codes,
    morse_code_translate,
    nato_phonetic_spelling,
    phone_number_example,
    phone_number_info,
)

__all__ = [
    "braille_transcribe",
    "country_dialing_codes",
    "email_address_check",
    "mailto_link",
    "morse_code_translate",
    "nato_phonetic_spelling",
    "phone_number_example",
    "phone_number_info",
    "radio_q_code_lookup",
    "sms_segment_count",
    "vanity_number_to_digits",
    "working_hours_overlap",
]
