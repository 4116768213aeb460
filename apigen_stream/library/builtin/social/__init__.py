"""Social APIs: posts, hashtags, emoji, usernames, engagement, growth and audiences."""

from apigen_stream.library.builtin.social.audience import (
    birthday_countdown,
    follower_growth_rate,
    mutual_connections_compare,
    post_time_for_audiences,
    referral_viral_coefficient,
    social_engagement_rate,
)
from apigen_stream.library.builtin.social.posts import (
    emoji_shortcode_convert,
    emoji_usage_summary,
    hashtags_and_mentions_extract,
    social_post_length_check,
    social_username_check,
)

__all__ = [
    "birthday_countdown",
    "emoji_shortcode_convert",
    "emoji_usage_summary",
    "follower_growth_rate",
    "hashtags_and_mentions_extract",
    "mutual_connections_compare",
    "post_time_for_audiences",
    "referral_viral_coefficient",
    "social_engagement_rate",
    "social_post_length_check",
    "social_username_check",
]
