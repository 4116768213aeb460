"""Social APIs about posts: platform length limits, hashtags and mentions, emoji, usernames."""

from __future__ import annotations

import re
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Social"

# Character limits from each platform's help pages: X 280 (weighted, help.x.com "counting
# characters"), Bluesky 300, Threads 500, Mastodon 500 (default instance setting), Instagram
# caption 2,200, LinkedIn post 3,000, Facebook post 63,206.
_LIMITS = {
    "x": 280, "bluesky": 300, "threads": 500, "mastodon": 500,
    "instagram": 2200, "linkedin": 3000, "facebook": 63206,
}  # fmt: skip
# X and Mastodon count every link as 23 characters (t.co wrapping / Mastodon's URL rule).
_LINK_WEIGHT = 23
# twitter-text v3 config: code points in these ranges weigh 1, all others (e.g. CJK, emoji) 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+")
_TEXT_EXAMPLES = [
    "Just shipped v2.0 of our app! 🚀 Check it out https://example.com/launch #buildinpublic",
    "Great panel today with @ada_l and @grace_h on #OpenData policy 🙌",
    "東京で新しいカフェを見つけました ☕ #coffee",
]


def _x_weight(text: str) -> int:
    def weight(ch: str) -> int:
        cp = ord(ch)
        return 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT_RANGES) else 2

    return sum(weight(ch) for ch in text)


@api(
    category=CATEGORY,
    description=(
        "Check whether a post fits a social platform's character limit, counting the way the "
        "platform does (X weights CJK/emoji double and links as 23); returns length, limit, "
        "characters remaining and whether it fits."
    ),
    params={
        "text": {"type": "string", "description": "The post text.", "examples": _TEXT_EXAMPLES},
        "platform": {"type": "string", "enum": sorted(_LIMITS), "description": "Platform."},
    },
    templates=[
        "Does this fit in a {platform} post? {text}",
        "How many characters do I have left on {platform} with: {text}",
    ],
    examples=[
        (
            "Will this fit on X? Great panel today with @ada_l and @grace_h on #OpenData policy 🙌",
            {"text": _TEXT_EXAMPLES[1], "platform": "x"},
        )
    ],
)
def social_post_length_check(text: str, platform: str) -> dict[str, Any]:
    """Links are replaced by their fixed weight where the platform shortens them."""
    if platform not in _LIMITS:
        raise ValueError(f"unknown platform {platform!r}")
    links = _URL.findall(text)
    if platform in ("x", "mastodon"):
        body = _URL.sub("", text)
        length = (_x_weight(body) if platform == "x" else len(body)) + _LINK_WEIGHT * len(links)
    else:
        length = len(text)
    limit = _LIMITS[platform]
    return {
        "platform": platform,
        "length": length,
        "limit": limit,
        "remaining": limit - length,
        "fits": length <= limit,
    }


_HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d]\w*)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,30})")


@api(
    category=CATEGORY,
    description=(
        "Extract the hashtags, @mentions and links from a social post, each de-duplicated in "
        "order of first appearance (hashtags compared case-insensitively)."
    ),
    params={
        "text": {"type": "string", "description": "The post text.", "examples": _TEXT_EXAMPLES}
    },
    templates=[
        "Which hashtags and mentions are in this post: {text}",
        "Pull out the tags and handles from: {text}",
    ],
    examples=[
        ("What hashtags and mentions are in: " + _TEXT_EXAMPLES[1], {"text": _TEXT_EXAMPLES[1]})
    ],
)
def hashtags_and_mentions_extract(text: str) -> dict[str, Any]:
    """A hashtag needs a letter (so '#1' is not one), as on X and Instagram."""
    tags: dict[str, str] = {}
    for tag in _HASHTAG.findall(_URL.sub(" ", text)):
        tags.setdefault(tag.casefold(), tag)
    mentions = list(dict.fromkeys(_MENTION.findall(_URL.sub(" ", text))))
    return {"hashtags": list(tags.values()), "mentions": mentions, "links": _URL.findall(text)}


@api(
    category=CATEGORY,
    description=(
        "Emoji in a text: total count, distinct emoji with their CLDR short names and counts, "
        "most used first, and the share of the text that is emoji."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Any text.",
            "examples": [*_TEXT_EXAMPLES, "Love it 😍😍😍 thanks 🙏"],
        }
    },
    templates=["Which emojis are used in: {text}", "Count the emoji in this message: {text}"],
    examples=[
        ("Count the emoji in 'Love it 😍😍😍 thanks 🙏'", {"text": "Love it 😍😍😍 thanks 🙏"})
    ],
)
def emoji_usage_summary(text: str) -> dict[str, Any]:
    """The emoji package (Unicode emoji data), which handles multi-code-point sequences."""
    import emoji  # noqa: PLC0415 - loaded on first use

    found = emoji.emoji_list(text)
    counts: dict[str, int] = {}
    for item in found:
        counts[item["emoji"]] = counts.get(item["emoji"], 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], text.index(kv[0])))
    return {
        "total": len(found),
        "distinct": [
            {"emoji": e, "name": emoji.demojize(e).strip(":"), "count": c} for e, c in ranked
        ],
        "emoji_share": round(sum(len(i["emoji"]) for i in found) / len(text), 3) if text else 0.0,
    }


@api(
    category=CATEGORY,
    description=(
        "Convert between emoji and :shortcodes: (e.g. ':thumbs_up:' ↔ 👍) in a text, using "
        "the Unicode CLDR names (or GitHub/Slack-style aliases)."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Text with emoji or :shortcodes:.",
            "examples": ["Great job :thumbs_up: :fire:", "See you soon 👋😊", "Ship it :rocket:!"],
        },
        "direction": {
            "type": "string",
            "enum": ["to_shortcodes", "to_emoji"],
            "description": "Which way.",
        },
        "aliases": {"type": "boolean", "description": "Use GitHub/Slack aliases like :+1:."},
    },
    templates=["Convert '{text}' {direction}.", "Replace the emoji codes in '{text}'."],
    examples=[
        (
            "Turn 'Great job :thumbs_up: :fire:' into emoji.",
            {"text": "Great job :thumbs_up: :fire:", "direction": "to_emoji"},
        )
    ],
)
def emoji_shortcode_convert(
    text: str, direction: str = "to_emoji", aliases: bool = False
) -> dict[str, str]:
    """emoji.emojize / emoji.demojize."""
    import emoji  # noqa: PLC0415 - loaded on first use

    language = "alias" if aliases else "en"
    if direction == "to_emoji":
        return {"text": emoji.emojize(text, language=language)}
    if direction == "to_shortcodes":
        return {"text": emoji.demojize(text, language=language)}
    raise ValueError(f"unknown direction {direction!r}")


# Username rules from each platform's help centre (checked 2024): pattern, min, max length.
_USERNAME_RULES: dict[str, tuple[str, int, int]] = {
    "x": (r"[A-Za-z0-9_]+", 4, 15),
    "instagram": (r"(?!.*\.\.)(?!\.)[A-Za-z0-9._]+(?<!\.)", 1, 30),
    "github": (r"(?!-)(?!.*--)[A-Za-z0-9-]+(?<!-)", 1, 39),
    "reddit": (r"[A-Za-z0-9_-]+", 3, 20),
    "tiktok": (r"[A-Za-z0-9_.]+(?<!\.)", 2, 24),
}


@api(
    category=CATEGORY,
    description=(
        "Check whether a username is allowed on a platform (length and character rules of X, "
        "Instagram, GitHub, Reddit or TikTok) and say which rule it breaks."
    ),
    params={
        "username": {
            "type": "string",
            "description": "Candidate username, without '@'.",
            "examples": ["ada_lovelace", "grace.hopper", "linus-t", "jo"],
        },
        "platform": {"type": "string", "enum": sorted(_USERNAME_RULES), "description": "Platform."},
    },
    templates=[
        "Can I use the username {username} on {platform}?",
        "Is '{username}' a valid {platform} handle?",
    ],
    examples=[
        (
            "Is grace.hopper a valid Instagram username?",
            {"username": "grace.hopper", "platform": "instagram"},
        )
    ],
)
def social_username_check(username: str, platform: str) -> dict[str, Any]:
    """Syntax only: availability needs the platform itself."""
    if platform not in _USERNAME_RULES:
        raise ValueError(f"unknown platform {platform!r}")
    pattern, low, high = _USERNAME_RULES[platform]
    name = username.removeprefix("@")
    problems = []
    if not low <= len(name) <= high:
        problems.append(f"length must be {low}-{high} characters")
    if not re.fullmatch(pattern, name):
        problems.append("contains characters or a sequence the platform does not allow")
    return {"username": name, "platform": platform, "valid": not problems, "problems": problems}
