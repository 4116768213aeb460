"""Media APIs: readability, books, colour, images, video, audio and subtitles."""

from apigen_stream.library.builtin.media.text_and_color import (
    article_reading_time,
    color_code_convert,
    color_contrast_ratio,
    isbn_validate,
    text_readability_scores,
)
from apigen_stream.library.builtin.media.video import (
    aspect_ratio_resize,
    image_print_size,
    srt_subtitle_shift,
    timecode_to_frame_count,
    uncompressed_audio_file_size,
    video_file_size_estimate,
)

__all__ = [
    "article_reading_time",
    "aspect_ratio_resize",
    "color_code_convert",
    "color_contrast_ratio",
    "image_print_size",
    "isbn_validate",
    "srt_subtitle_shift",
    "text_readability_scores",
    "timecode_to_frame_count",
    "uncompressed_audio_file_size",
    "video_file_size_estimate",
]
