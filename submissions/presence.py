"""Who has a section open, kept in the shared cache (Redis in production) for a short while."""

from __future__ import annotations

import time

from django.core.cache import cache

# A browser with the editor open reports every 20 seconds; silence for longer means it is gone.
PRESENCE_TTL_SECONDS = 60


def _key(section_id: int) -> str:
    return f"submissions:presence:{section_id}"


def presence_touch(*, section_id: int, user_id: int, name: str, leaving: bool = False) -> list[dict]:
    """Records that the user has the section open (or has left) and returns the others present."""
    now = time.time()
    present = cache.get(_key(section_id)) or {}
    present = {uid: entry for uid, entry in present.items() if now - entry["seen"] < PRESENCE_TTL_SECONDS}
    if leaving:
        present.pop(user_id, None)
    else:
        entry = present.get(user_id) or {"name": name, "since": now}
        present[user_id] = {**entry, "seen": now}
    cache.set(_key(section_id), present, PRESENCE_TTL_SECONDS)
    return [
        {"name": entry["name"], "since": entry["since"]}
        for uid, entry in sorted(present.items(), key=lambda item: item[1]["since"])
        if uid != user_id
    ]
