"""Media APIs for images, video, audio and subtitles: sizes, ratios, timecodes, subtitle timing."""

from __future__ import annotations

import math
import re
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Media"

# 1 inch = 2.54 cm exactly (international inch, 1959).
_CM_PER_INCH = 2.54
# Megabyte here is the decimal MB (10^6 bytes) that storage and upload limits use.
_BYTES_PER_MB = 10**6


@api(
    category=CATEGORY,
    description=(
        "Simplify an image or video's aspect ratio (e.g. 1920×1080 → 16:9) and compute the "
        "height that keeps it at a new width."
    ),
    params={
        "width": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Width in pixels.",
        },
        "height": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Height in pixels.",
        },
        "new_width": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Target width.",
        },
    },
    templates=[
        "What aspect ratio is {width}x{height}?",
        "If I resize {width}x{height} to {new_width} wide, how tall will it be?",
    ],
    examples=[
        (
            "Resize a 1920x1080 video to 1280 wide: what height?",
            {"width": 1920, "height": 1080, "new_width": 1280},
        )
    ],
)
def aspect_ratio_resize(width: int, height: int, new_width: int | None = None) -> dict[str, Any]:
    """Ratio reduced by the GCD; new height rounded to the nearest pixel."""
    g = math.gcd(width, height)
    result: dict[str, Any] = {
        "ratio": f"{width // g}:{height // g}",
        "decimal": round(width / height, 4),
    }
    if new_width is not None:
        result["new_height"] = round(new_width * height / width)
    return result


@api(
    category=CATEGORY,
    description=(
        "File size of a video from its video and audio bitrates (kbps) and duration, in MB "
        "and GB (decimal), ignoring container overhead."
    ),
    params={
        "video_bitrate_kbps": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000000,
            "description": "Video bitrate, kbit/s.",
        },
        "audio_bitrate_kbps": {
            "type": "number",
            "minimum": 0,
            "maximum": 10000,
            "description": "Audio bitrate, kbit/s.",
        },
        "duration_seconds": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10**6,
            "description": "Duration in seconds.",
        },
    },
    templates=[
        "How big is a {duration_seconds}-second video at {video_bitrate_kbps} kbps?",
        "File size of {duration_seconds} s of video at {video_bitrate_kbps} kbps video and "
        "{audio_bitrate_kbps} kbps audio?",
    ],
    examples=[
        (
            "Size of a 10-minute video at 5000 kbps with 128 kbps audio?",
            {"video_bitrate_kbps": 5000, "audio_bitrate_kbps": 128, "duration_seconds": 600},
        )
    ],
)
def video_file_size_estimate(
    video_bitrate_kbps: float, duration_seconds: float, audio_bitrate_kbps: float = 128
) -> dict[str, float]:
    """bytes = (video + audio) kbit/s × 1000 / 8 × seconds."""
    size_bytes = (video_bitrate_kbps + audio_bitrate_kbps) * 1000 / 8 * duration_seconds
    return {
        "megabytes": round(size_bytes / _BYTES_PER_MB, 1),
        "gigabytes": round(size_bytes / 10**9, 3),
    }


@api(
    category=CATEGORY,
    description=(
        "Print size of a digital image at a given resolution (DPI): width and height in inches "
        "and centimetres, and its megapixels."
    ),
    params={
        "width_px": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200000,
            "description": "Width in pixels.",
        },
        "height_px": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200000,
            "description": "Height in pixels.",
        },
        "dpi": {
            "type": "integer",
            "minimum": 36,
            "maximum": 2400,
            "description": "Print resolution in dots per inch (300 for photo quality).",
        },
    },
    templates=[
        "How big can I print a {width_px}x{height_px} photo at {dpi} DPI?",
        "Print dimensions of a {width_px} by {height_px} pixel image at {dpi} dpi?",
    ],
    examples=[
        (
            "How large can I print a 6000x4000 photo at 300 dpi?",
            {"width_px": 6000, "height_px": 4000, "dpi": 300},
        )
    ],
)
def image_print_size(width_px: int, height_px: int, dpi: int = 300) -> dict[str, float]:
    """inches = pixels / dpi."""
    return {
        "width_in": round(width_px / dpi, 2),
        "height_in": round(height_px / dpi, 2),
        "width_cm": round(width_px / dpi * _CM_PER_INCH, 2),
        "height_cm": round(height_px / dpi * _CM_PER_INCH, 2),
        "megapixels": round(width_px * height_px / 1e6, 2),
    }


_TIMECODE = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)[:;](\d{2})$")


@api(
    category=CATEGORY,
    description=(
        "Convert an SMPTE timecode HH:MM:SS:FF (non-drop-frame) at a frame rate to a frame "
        "count and seconds, and give the timecode of that count plus an offset in frames."
    ),
    params={
        "timecode": {
            "type": "string",
            "pattern": r"^\d{2}:[0-5]\d:[0-5]\d[:;]\d{2}$",
            "description": "Timecode HH:MM:SS:FF.",
            "examples": ["01:00:00:00", "00:12:34:12", "00:00:10:05"],
        },
        "fps": {
            "type": "integer",
            "enum": [24, 25, 30, 48, 50, 60],
            "description": "Integer frame rate.",
        },
        "offset_frames": {
            "type": "integer",
            "minimum": -1000000,
            "maximum": 1000000,
            "description": "Frames to add.",
        },
    },
    templates=[
        "How many frames is {timecode} at {fps} fps?",
        "What timecode is {offset_frames} frames after {timecode} at {fps} fps?",
    ],
    examples=[
        ("How many frames in 00:12:34:12 at 25 fps?", {"timecode": "00:12:34:12", "fps": 25})
    ],
)
def timecode_to_frame_count(timecode: str, fps: int, offset_frames: int = 0) -> dict[str, Any]:
    """Non-drop-frame: every second holds exactly fps frames."""
    match = _TIMECODE.match(timecode.strip())
    if not match:
        raise ValueError(f"{timecode!r} is not HH:MM:SS:FF")
    h, m, s, f = (int(x) for x in match.groups())
    if f >= fps:
        raise ValueError(f"frame field {f} must be below {fps}")
    frames = ((h * 60 + m) * 60 + s) * fps + f
    shifted = frames + offset_frames
    if shifted < 0:
        raise ValueError("the offset moves before 00:00:00:00")
    secs, ff = divmod(shifted, fps)
    return {
        "frames": frames,
        "seconds": round(frames / fps, 3),
        "shifted_timecode": f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}:{ff:02d}",
    }


_SRT_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2}),(\d{3})")
_SRT_EXAMPLES = [
    "1\n00:00:01,000 --> 00:00:03,500\nHello there.\n\n2\n00:00:04,000 --> 00:00:06,000\nGeneral "
    "Kenobi!",
    "1\n00:01:10,200 --> 00:01:12,900\nWhere are we going?\n",
    "1\n00:00:05,000 --> 00:00:07,250\n[music]\n\n2\n00:00:08,000 --> 00:00:09,000\nNow.",
]


@api(
    category=CATEGORY,
    description=(
        "Shift every timestamp in an SRT subtitle file by an offset in milliseconds (negative "
        "= earlier) to fix out-of-sync subtitles; returns the new SRT text."
    ),
    params={
        "srt_text": {
            "type": "string",
            "description": "Contents of the .srt file.",
            "examples": _SRT_EXAMPLES,
        },
        "offset_ms": {
            "type": "integer",
            "minimum": -3600000,
            "maximum": 3600000,
            "description": "Shift in ms.",
        },
    },
    templates=[
        "Delay these subtitles by {offset_ms} ms: {srt_text}",
        "Shift the SRT timings by {offset_ms} milliseconds: {srt_text}",
    ],
    examples=[
        (
            "My subtitles are 1.5 s late, shift them: " + _SRT_EXAMPLES[0],
            {"srt_text": _SRT_EXAMPLES[0], "offset_ms": -500},
        )
    ],
)
def srt_subtitle_shift(srt_text: str, offset_ms: int) -> dict[str, Any]:
    """Times that would go below zero are clamped to 00:00:00,000."""
    count = 0

    def shift(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        h, m, s, ms = (int(x) for x in match.groups())
        total = max(0, ((h * 60 + m) * 60 + s) * 1000 + ms + offset_ms)
        secs, ms = divmod(total, 1000)
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d},{ms:03d}"

    shifted = _SRT_TIME.sub(shift, srt_text)
    if count == 0:
        raise ValueError("no SRT timestamps (HH:MM:SS,mmm) found")
    return {"timestamps_shifted": count, "srt_text": shifted}


@api(
    category=CATEGORY,
    description=(
        "Size of uncompressed PCM audio (WAV/AIFF) from sample rate, bit depth, channels and "
        "duration, in MB (decimal), with its bitrate in kbps."
    ),
    params={
        "sample_rate_hz": {
            "type": "integer",
            "enum": [8000, 16000, 22050, 44100, 48000, 96000, 192000],
            "description": "Sample rate.",
        },
        "bit_depth": {
            "type": "integer",
            "enum": [8, 16, 24, 32],
            "description": "Bits per sample.",
        },
        "channels": {
            "type": "integer",
            "minimum": 1,
            "maximum": 16,
            "description": "Channels (2 = stereo).",
        },
        "duration_seconds": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10**6,
            "description": "Duration in seconds.",
        },
    },
    templates=[
        "How big is {duration_seconds} seconds of {bit_depth}-bit {sample_rate_hz} Hz audio with "
        "{channels} channels?",
        "WAV file size for {duration_seconds} s at {sample_rate_hz} Hz, {bit_depth} bit?",
    ],
    examples=[
        (
            "Size of a 3-minute CD-quality stereo WAV?",
            {"sample_rate_hz": 44100, "bit_depth": 16, "channels": 2, "duration_seconds": 180},
        )
    ],
)
def uncompressed_audio_file_size(
    sample_rate_hz: int, bit_depth: int, duration_seconds: float, channels: int = 2
) -> dict[str, float]:
    """bytes = rate × depth/8 × channels × seconds (header bytes ignored)."""
    bits_per_second = sample_rate_hz * bit_depth * channels
    return {
        "megabytes": round(bits_per_second / 8 * duration_seconds / _BYTES_PER_MB, 2),
        "bitrate_kbps": bits_per_second / 1000,
    }
