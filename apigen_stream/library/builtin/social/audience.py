"""Social APIs about audiences: engagement, growth, virality, connections, dates and time zones."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apigen_stream.library.registry import api

CATEGORY = "Social"


def _count(description: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": 10**10, "description": description}


@api(
    category=CATEGORY,
    description=(
        "Engagement rate of a post in percent: interactions (likes, comments, shares, saves) "
        "divided by followers (by-follower rate) and, if given, by impressions (by-reach rate)."
    ),
    params={
        "likes": _count("Likes or reactions."),
        "comments": _count("Comments."),
        "shares": _count("Shares, reposts or retweets."),
        "saves": _count("Saves or bookmarks."),
        "followers": {**_count("Follower count."), "minimum": 1},
        "impressions": {**_count("Impressions (0 if unknown)."), "minimum": 0},
    },
    templates=[
        "My post got {likes} likes and {comments} comments with {followers} followers. "
        "What's the engagement rate?",
        "Engagement rate for {likes} likes, {comments} comments, {shares} shares, {saves} saves "
        "on an account of {followers}?",
    ],
    examples=[
        (
            "A post got 1200 likes, 85 comments and 40 shares; I have 25000 followers. Engagement?",
            {"likes": 1200, "comments": 85, "shares": 40, "followers": 25000},
        )
    ],
)
def social_engagement_rate(
    likes: int, comments: int, followers: int, shares: int = 0, saves: int = 0, impressions: int = 0
) -> dict[str, Any]:
    """Interactions over audience, × 100."""
    interactions = likes + comments + shares + saves
    result: dict[str, Any] = {
        "interactions": interactions,
        "rate_by_followers_percent": round(interactions / followers * 100, 3),
    }
    if impressions:
        result["rate_by_impressions_percent"] = round(interactions / impressions * 100, 3)
    return result


@api(
    category=CATEGORY,
    description=(
        "Follower growth over a period: net change, total growth %, compound daily growth %, "
        "and a projection after a further number of days at the same daily rate."
    ),
    params={
        "start_followers": {**_count("Followers at the start."), "minimum": 1},
        "end_followers": {**_count("Followers at the end."), "minimum": 1},
        "days": {"type": "integer", "minimum": 1, "maximum": 3650, "description": "Days elapsed."},
        "project_days": {
            "type": "integer",
            "minimum": 0,
            "maximum": 3650,
            "description": "Days ahead.",
        },
    },
    templates=[
        "I went from {start_followers} to {end_followers} followers in {days} days. Growth rate?",
        "My account grew from {start_followers} to {end_followers} followers in {days} days. "
        "At that pace, how many followers will I have in {project_days} more days?",
    ],
    examples=[
        (
            "We grew from 8000 to 9200 followers in 30 days. Where will we be in 90 days?",
            {"start_followers": 8000, "end_followers": 9200, "days": 30, "project_days": 90},
        )
    ],
)
def follower_growth_rate(
    start_followers: int, end_followers: int, days: int, project_days: int = 30
) -> dict[str, Any]:
    """Daily rate r with start·(1 + r)^days = end."""
    daily = (end_followers / start_followers) ** (1 / days) - 1
    return {
        "net_change": end_followers - start_followers,
        "growth_percent": round((end_followers / start_followers - 1) * 100, 3),
        "daily_growth_percent": round(daily * 100, 4),
        "projected_followers": round(end_followers * (1 + daily) ** project_days),
    }


@api(
    category=CATEGORY,
    description=(
        "Viral (K) coefficient of a referral loop, invites per user × conversion rate, and the "
        "users after a number of invitation cycles starting from a seed group."
    ),
    params={
        "initial_users": {**_count("Seed users."), "minimum": 1, "maximum": 10**8},
        "invites_per_user": {
            "type": "number",
            "minimum": 0,
            "maximum": 1000,
            "description": "Invites each user sends.",
        },
        "conversion_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Invites that join, %.",
        },
        "cycles": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "description": "Invitation cycles.",
        },
    },
    templates=[
        "Each user invites {invites_per_user} friends and {conversion_percent}% join. What's "
        "the viral coefficient?",
        "Starting with {initial_users} users, {invites_per_user} invites each at "
        "{conversion_percent}% conversion, how many users after {cycles} cycles?",
    ],
    examples=[
        (
            "1000 users, each invites 5 friends, 15% sign up. K-factor and users after 4 cycles?",
            {"initial_users": 1000, "invites_per_user": 5, "conversion_percent": 15, "cycles": 4},
        )
    ],
)
def referral_viral_coefficient(
    initial_users: int, invites_per_user: float, conversion_percent: float, cycles: int = 5
) -> dict[str, Any]:
    """Only the users who joined in the last cycle invite in the next one."""
    k = invites_per_user * conversion_percent / 100
    total, newest, per_cycle = float(initial_users), float(initial_users), []
    for _ in range(cycles):
        newest *= k
        total += newest
        per_cycle.append(round(newest))
    return {
        "k_factor": round(k, 4),
        "viral": k > 1,
        "new_users_per_cycle": per_cycle,
        "total_users": round(total),
    }


_CONNECTIONS = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "minItems": 0,
    "maxItems": 10000,
    "description": "Usernames this person is connected to.",
    "examples": [
        ["ada", "alan", "grace", "linus"],
        ["grace", "ken", "dennis"],
        ["alan", "grace", "barbara"],
    ],
}


@api(
    category=CATEGORY,
    description=(
        "Compare two people's connection lists: mutual connections, those only one of them "
        "has, and the Jaccard similarity of the two networks (0-1)."
    ),
    params={
        "connections_a": _CONNECTIONS,
        "connections_b": {**_CONNECTIONS, "description": "Second person's connections."},
    },
    templates=[
        "Which friends do these two lists have in common: {connections_a}; and {connections_b}?",
        "How similar are these two friend lists: {connections_a} vs {connections_b}?",
    ],
    examples=[
        (
            "Mutual friends between [ada, alan, grace, linus] and [grace, ken, alan]?",
            {
                "connections_a": ["ada", "alan", "grace", "linus"],
                "connections_b": ["grace", "ken", "alan"],
            },
        )
    ],
)
def mutual_connections_compare(
    connections_a: list[str], connections_b: list[str]
) -> dict[str, Any]:
    """Case-insensitive comparison; outputs sorted for a stable answer."""
    a = {c.casefold() for c in connections_a}
    b = {c.casefold() for c in connections_b}
    union = a | b
    return {
        "mutual": sorted(a & b),
        "only_a": sorted(a - b),
        "only_b": sorted(b - a),
        "jaccard_similarity": round(len(a & b) / len(union), 4) if union else 0.0,
    }


_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@api(
    category=CATEGORY,
    description=(
        "Days until someone's next birthday from a given date, the age they turn and the "
        "weekday it falls on (29 February birthdays are celebrated on 28 February in common years)."
    ),
    params={
        "birth_date": {
            **_DATE,
            "description": "Date of birth, YYYY-MM-DD.",
            "examples": ["1990-08-14", "1992-02-29", "2000-12-31"],
        },
        "on_date": {
            **_DATE,
            "description": "Today's date, YYYY-MM-DD.",
            "examples": ["2024-07-15", "2025-01-01", "2024-12-31"],
        },
    },
    templates=[
        "My birthday is {birth_date}. How many days until it, counting from {on_date}?",
        "Born {birth_date}: when is the next birthday after {on_date} and how old will they be?",
    ],
    examples=[
        (
            "It's 2024-07-15 and I was born 1990-08-14. Days to my birthday?",
            {"birth_date": "1990-08-14", "on_date": "2024-07-15"},
        )
    ],
)
def birthday_countdown(birth_date: str, on_date: str) -> dict[str, Any]:
    """The birthday itself counts as 0 days away."""
    try:
        born, today = dt.date.fromisoformat(birth_date), dt.date.fromisoformat(on_date)
    except ValueError:
        raise ValueError("dates must be YYYY-MM-DD") from None
    if born > today:
        raise ValueError("birth_date is after on_date")

    def birthday_in(year: int) -> dt.date:
        if born.month == 2 and born.day == 29 and not _leap(year):
            return dt.date(year, 2, 28)
        return born.replace(year=year)

    nxt = birthday_in(today.year)
    if nxt < today:
        nxt = birthday_in(today.year + 1)
    return {
        "next_birthday": nxt.isoformat(),
        "days_until": (nxt - today).days,
        "turning_age": nxt.year - born.year,
        "weekday": nxt.strftime("%A"),
    }


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@api(
    category=CATEGORY,
    description=(
        "When a post scheduled at a local time in one time zone appears for audiences in other "
        "time zones: each audience's local date, time and weekday."
    ),
    params={
        "post_datetime": {
            **_DATE,
            "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
            "description": "Scheduled local time, YYYY-MM-DDTHH:MM.",
            "examples": ["2024-07-15T18:00", "2024-11-29T09:00", "2025-02-14T12:30"],
        },
        "timezone": {
            "type": "string",
            "description": "IANA zone of the scheduled time.",
            "examples": ["America/New_York", "Europe/London", "Asia/Singapore"],
        },
        "audience_timezones": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "maxItems": 20,
            "description": "IANA zones of the audiences.",
            "examples": [
                ["Europe/Berlin", "Asia/Tokyo"],
                ["America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata"],
                ["Europe/Paris"],
            ],
        },
    },
    templates=[
        "If I post at {post_datetime} {timezone} time, when will followers in "
        "{audience_timezones} see it?",
        "Show the local times in {audience_timezones} for a post at {post_datetime} ({timezone}).",
    ],
    examples=[
        (
            "I post at 6pm New York time on 2024-07-15. What time is that in Berlin and Tokyo?",
            {
                "post_datetime": "2024-07-15T18:00",
                "timezone": "America/New_York",
                "audience_timezones": ["Europe/Berlin", "Asia/Tokyo"],
            },
        )
    ],
)
def post_time_for_audiences(
    post_datetime: str, timezone: str, audience_timezones: list[str]
) -> dict[str, Any]:
    """zoneinfo, daylight saving aware."""
    try:
        posted = dt.datetime.fromisoformat(post_datetime).replace(tzinfo=ZoneInfo(timezone))
        local = {z: posted.astimezone(ZoneInfo(z)) for z in audience_timezones}
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise ValueError(f"bad time or time zone: {exc}") from None
    return {
        "audiences": [
            {"timezone": z, "local_time": t.strftime("%Y-%m-%d %H:%M"), "weekday": t.strftime("%A")}
            for z, t in local.items()
        ]
    }
