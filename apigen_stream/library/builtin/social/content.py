"""Social APIs for creators and posts: influencer tiers, counts and times as feeds show them,
campaign metrics, hashtags, image sizes, posting schedules and video retention."""

from __future__ import annotations

import math
import re
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Social"


def _count(description: str, maximum: int = 10**12) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": maximum, "description": description}


# Follower tiers as influencer-marketing agencies use them (Influencer Marketing Hub, 2024).
_TIERS = (
    (1_000, "under nano"),
    (10_000, "nano"),
    (50_000, "micro"),
    (500_000, "mid-tier"),
    (1_000_000, "macro"),
)


@api(
    category=CATEGORY,
    description=(
        "Influencer tier of an account by follower count: nano (1K-10K), micro (10K-50K), "
        "mid-tier (50K-500K), macro (500K-1M) or mega (1M+), with the next tier's threshold."
    ),
    params={"followers": _count("Follower count.")},
    templates=[
        "What influencer tier is an account with {followers} followers?",
        "Is {followers} followers micro or macro?",
    ],
    examples=[("I have 38,000 followers. What influencer tier am I?", {"followers": 38000})],
)
def influencer_tier(followers: int) -> dict[str, Any]:
    """Upper bounds exclusive."""
    for bound, name in _TIERS:
        if followers < bound:
            return {"tier": name, "next_tier_at": bound, "followers_to_next": bound - followers}
    return {"tier": "mega", "next_tier_at": None, "followers_to_next": 0}


@api(
    category=CATEGORY,
    description=(
        "Show a count as social platforms do: 1.2K, 34.5K, 3.4M, 1.1B, rounded down so a count "
        "is never shown larger than it is."
    ),
    params={"count": _count("The count (likes, views, followers).")},
    templates=["How is {count} shown on social media?", "Abbreviate the follower count {count}."],
    examples=[("How would 1,234,567 views be displayed?", {"count": 1234567})],
)
def compact_count_label(count: int) -> dict[str, Any]:
    """One decimal below 100 of a unit, none above; truncated, not rounded."""
    for size, unit in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if count >= size:
            value = count / size
            shown = math.floor(value * 10) / 10 if value < 100 else math.floor(value)
            text = f"{shown:.1f}".rstrip("0").rstrip(".") if value < 100 else str(shown)
            return {"label": f"{text}{unit}"}
    return {"label": str(count)}


@api(
    category=CATEGORY,
    description=(
        "Relative post time as feeds show it from the seconds since posting: 'now', '5m', '3h', "
        "'2d', '4w' or '1y', with the long form ('3 hours ago')."
    ),
    params={"seconds_ago": _count("Seconds since the post.", 10**10)},
    templates=[
        "How does a feed label a post from {seconds_ago} seconds ago?",
        "Show {seconds_ago} s as a relative time.",
    ],
    examples=[("How would a post made 11,000 seconds ago be labelled?", {"seconds_ago": 11000})],
)
def time_ago_label(seconds_ago: int) -> dict[str, Any]:
    """Largest whole unit."""
    units = (
        ("y", "year", 31_536_000),
        ("w", "week", 604_800),
        ("d", "day", 86_400),
        ("h", "hour", 3_600),
        ("m", "minute", 60),
    )
    for short, long, size in units:
        if seconds_ago >= size:
            n = seconds_ago // size
            return {"short": f"{n}{short}", "long": f"{n} {long}{'s' if n != 1 else ''} ago"}
    return {"short": "now", "long": "just now"}


@api(
    category=CATEGORY,
    description=(
        "Social ad campaign metrics from spend, impressions, clicks and conversions: CPM, CPC, "
        "click-through rate, conversion rate and cost per acquisition."
    ),
    params={
        "spend": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10**9,
            "description": "Amount spent.",
        },
        "impressions": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**12,
            "description": "Impressions served.",
        },
        "clicks": _count("Link clicks."),
        "conversions": _count("Conversions (sign-ups, purchases)."),
    },
    templates=[
        "My ad spent {spend} for {impressions} impressions, {clicks} clicks and {conversions} "
        "conversions. What are the CPM and CPA?",
        "Campaign metrics: spend {spend}, {impressions} impressions, {clicks} clicks, "
        "{conversions} sales.",
    ],
    examples=[
        (
            "We spent 500 on an Instagram ad: 80,000 impressions, 1,200 clicks, 36 sales. "
            "What's the CPA?",
            {"spend": 500, "impressions": 80000, "clicks": 1200, "conversions": 36},
        )
    ],
)
def ad_campaign_metrics(
    spend: float, impressions: int, clicks: int, conversions: int
) -> dict[str, Any]:
    """CPM = 1000 spend / impressions; CTR = clicks / impressions."""
    if clicks > impressions:
        raise ValueError("clicks cannot exceed impressions")
    return {
        "cpm": round(1000 * spend / impressions, 2),
        "cpc": round(spend / clicks, 2) if clicks else None,
        "ctr_percent": round(100 * clicks / impressions, 2),
        "conversion_rate_percent": round(100 * conversions / clicks, 2) if clicks else None,
        "cost_per_acquisition": round(spend / conversions, 2) if conversions else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Share of voice of a brand in social conversation: its mentions as a percent of all "
        "mentions of it and its competitors, with each competitor's share."
    ),
    params={
        "brand_mentions": _count("Mentions of the brand."),
        "competitor_mentions": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0},
            "minItems": 1,
            "maxItems": 50,
            "description": "Mentions of each competitor.",
        },
    },
    templates=[
        "What's our share of voice with {brand_mentions} mentions against competitors' "
        "{competitor_mentions}?",
        "Share of voice: us {brand_mentions}, others {competitor_mentions}.",
    ],
    examples=[
        (
            "We got 1,800 mentions this month; our rivals got 2,400 and 1,300. Share of voice?",
            {"brand_mentions": 1800, "competitor_mentions": [2400, 1300]},
        )
    ],
)
def share_of_voice(brand_mentions: int, competitor_mentions: list[int]) -> dict[str, Any]:
    """SOV = brand / total."""
    total = brand_mentions + sum(competitor_mentions)
    if total == 0:
        raise ValueError("no mentions at all")
    return {
        "share_percent": round(100 * brand_mentions / total, 1),
        "competitor_shares_percent": [round(100 * m / total, 1) for m in competitor_mentions],
        "total_mentions": total,
    }


@api(
    category=CATEGORY,
    description=(
        "When an account reaches a follower milestone at a steady daily growth rate: days and "
        "weeks to go, by compound growth."
    ),
    params={
        "current_followers": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**10,
            "description": "Followers today.",
        },
        "target_followers": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**11,
            "description": "The milestone.",
        },
        "daily_growth_percent": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Average growth per day in percent.",
        },
    },
    templates=[
        "How long until {target_followers} followers from {current_followers} at "
        "{daily_growth_percent}% a day?",
        "When do I hit {target_followers} followers growing {daily_growth_percent}% daily?",
    ],
    examples=[
        (
            "I have 8,500 followers growing 0.6% a day. When do I reach 10,000?",
            {"current_followers": 8500, "target_followers": 10000, "daily_growth_percent": 0.6},
        )
    ],
)
def follower_milestone_eta(
    current_followers: int, target_followers: int, daily_growth_percent: float
) -> dict[str, Any]:
    """days = ln(target / current) / ln(1 + g)."""
    if target_followers <= current_followers:
        return {"days": 0, "weeks": 0.0, "reached": True}
    days = math.log(target_followers / current_followers) / math.log1p(daily_growth_percent / 100)
    return {"days": math.ceil(days), "weeks": round(days / 7, 1), "reached": False}


@api(
    category=CATEGORY,
    description=(
        "Whether a post got 'ratioed': replies outnumbering likes and reposts, a sign the "
        "audience disagrees, with the reply-to-like ratio."
    ),
    params={
        "replies": _count("Replies or comments."),
        "likes": _count("Likes."),
        "reposts": _count("Reposts or shares."),
    },
    templates=[
        "A post has {replies} replies, {likes} likes and {reposts} reposts. Is it ratioed?",
        "Ratio check: {replies} replies vs {likes} likes.",
    ],
    examples=[
        (
            "My tweet has 900 replies, 350 likes and 40 retweets. Did I get ratioed?",
            {"replies": 900, "likes": 350, "reposts": 40},
        )
    ],
)
def ratio_check(replies: int, likes: int, reposts: int = 0) -> dict[str, Any]:
    """Ratioed when replies exceed likes + reposts."""
    return {
        "ratioed": replies > likes + reposts,
        "reply_to_like_ratio": round(replies / likes, 2) if likes else None,
    }


_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@api(
    category=CATEGORY,
    description=(
        "Split a hashtag into its words (#ThrowbackThursday -> Throwback Thursday) and give its "
        "accessible CamelCase form, which screen readers read word by word."
    ),
    params={
        "hashtag": {
            "type": "string",
            "pattern": r"^#?[A-Za-z0-9_]{1,100}$",
            "description": "The hashtag, with or without '#'.",
            "examples": ["#ThrowbackThursday", "#WorldCup2026", "#NASA_Artemis"],
        }
    },
    templates=["What words are in the hashtag {hashtag}?", "Make {hashtag} accessible."],
    examples=[
        ("What does #NationalCoffeeDay say word by word?", {"hashtag": "#NationalCoffeeDay"})
    ],
)
def hashtag_words(hashtag: str) -> dict[str, Any]:
    """Case and digit boundaries; all-lower-case tags cannot be split without a dictionary."""
    words = [w for part in hashtag.lstrip("#").split("_") for w in _CAMEL.findall(part)]
    camel = "#" + "".join(w[:1].upper() + w[1:] for w in words)
    return {
        "words": words,
        "phrase": " ".join(words),
        "camel_case": camel,
        "splittable": len(words) > 1 or hashtag.lstrip("#")[:1].isupper(),
    }


# Recommended image sizes in pixels from each platform's own help pages (2024).
_IMAGE_SIZES = {
    ("instagram", "square_post"): (1080, 1080),
    ("instagram", "portrait_post"): (1080, 1350),
    ("instagram", "story"): (1080, 1920),
    ("facebook", "cover"): (851, 315),
    ("facebook", "shared_link"): (1200, 630),
    ("x", "header"): (1500, 500),
    ("x", "post_image"): (1600, 900),
    ("linkedin", "banner"): (1584, 396),
    ("linkedin", "post_image"): (1200, 627),
    ("youtube", "thumbnail"): (1280, 720),
    ("youtube", "channel_banner"): (2560, 1440),
    ("pinterest", "pin"): (1000, 1500),
    ("tiktok", "video"): (1080, 1920),
}


@api(
    category=CATEGORY,
    description=(
        "Recommended image size for a social platform and placement (post, story, cover, banner, "
        "thumbnail), with its aspect ratio."
    ),
    params={
        "platform": {
            "type": "string",
            "enum": sorted({p for p, _ in _IMAGE_SIZES}),
            "description": "Platform.",
        },
        "placement": {
            "type": "string",
            "enum": sorted({k for _, k in _IMAGE_SIZES}),
            "description": "Where the image goes.",
        },
    },
    templates=[
        "What size should a {platform} {placement} be?",
        "Image dimensions for a {placement} on {platform}?",
    ],
    examples=[
        (
            "What size image do I need for a YouTube thumbnail?",
            {"platform": "youtube", "placement": "thumbnail"},
        )
    ],
)
def social_image_size(platform: str, placement: str) -> dict[str, Any]:
    """Lists the placements a platform has when the pair is unknown."""
    size = _IMAGE_SIZES.get((platform, placement))
    if size is None:
        known = sorted(k for p, k in _IMAGE_SIZES if p == platform)
        raise ValueError(f"{platform} placements are: {', '.join(known)}")
    width, height = size
    g = math.gcd(width, height)
    return {"width_px": width, "height_px": height, "aspect_ratio": f"{width // g}:{height // g}"}


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@api(
    category=CATEGORY,
    description=(
        "Spread a number of posts a week evenly over the days, starting on a chosen weekday, so "
        "that the gaps between posts differ by at most one day."
    ),
    params={
        "posts_per_week": {
            "type": "integer",
            "minimum": 1,
            "maximum": 7,
            "description": "Posts per week.",
        },
        "first_day": {
            "type": "string",
            "enum": list(_DAYS),
            "description": "Day of the first post.",
        },
    },
    templates=[
        "Which days should I post if I post {posts_per_week} times a week?",
        "Schedule {posts_per_week} posts a week starting {first_day}.",
    ],
    examples=[
        (
            "I want to post 3 times a week starting Monday. Which days?",
            {"posts_per_week": 3, "first_day": "Monday"},
        )
    ],
)
def weekly_posting_days(posts_per_week: int, first_day: str = "Monday") -> dict[str, Any]:
    """Day i = first + floor(7 i / n)."""
    start = _DAYS.index(first_day)
    days = [_DAYS[(start + (7 * i) // posts_per_week) % 7] for i in range(posts_per_week)]
    return {"days": days}


@api(
    category=CATEGORY,
    description=(
        "Video retention from views and total watch time: average view duration, the average "
        "percentage of the video watched, and watch hours."
    ),
    params={
        "views": {"type": "integer", "minimum": 1, "maximum": 10**12, "description": "Views."},
        "watch_time_minutes": {
            "type": "number",
            "minimum": 0,
            "maximum": 10**13,
            "description": "Total minutes watched.",
        },
        "video_length_minutes": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1440,
            "description": "Length of the video in minutes.",
        },
    },
    templates=[
        "My {video_length_minutes}-minute video has {views} views and "
        "{watch_time_minutes} minutes watched. Average view duration?",
        "Retention for {views} views, {watch_time_minutes} watch minutes, length "
        "{video_length_minutes} min?",
    ],
    examples=[
        (
            "My 12-minute video got 15,000 views and 64,000 minutes of watch time. What's "
            "the average view duration?",
            {"views": 15000, "watch_time_minutes": 64000, "video_length_minutes": 12},
        )
    ],
)
def video_retention(
    views: int, watch_time_minutes: float, video_length_minutes: float
) -> dict[str, Any]:
    """AVD = watch time / views."""
    avd = watch_time_minutes / views
    return {
        "average_view_minutes": round(avd, 2),
        "average_percent_viewed": round(min(100.0, 100 * avd / video_length_minutes), 1),
        "watch_hours": round(watch_time_minutes / 60, 1),
    }
