"""The office's time zone: every time a user reads (a case file's 导出时间, a portrait's 生成时间, the audit log
and a warning's history as shown) is said in it, with its offset.

A commission's case file carries the time of its own office, not the server's: on a server set to UTC a case
file had said ``导出时间 2026-12-07 09:00:00+00:00`` for an export made at 17:00 in Nanjing. The zone is
``GRAPHKIT_TZ`` (an IANA name: ``Asia/Shanghai``, ``Asia/Urumqi``, ``UTC``), read once, here; without it
``Asia/Shanghai`` (:data:`DEFAULT_ZONE`). Times are kept with their offset (ISO 8601), so a record written in one
zone reads right in another; :func:`shown` says any of them in the office's zone.

Example
-------
>>> shown("2026-12-07T09:00:00+00:00", "Asia/Shanghai")
'2026-12-07 17:00:00+08:00'
>>> now_iso("Asia/Shanghai").endswith("+08:00")
True
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

__all__ = ["DEFAULT_ZONE", "ZONE_ENV", "zone", "now", "now_iso", "shown"]

#: the environment variable naming the office's zone
ZONE_ENV = "GRAPHKIT_TZ"
#: the zone without it: China Standard Time (UTC+8, no daylight saving)
DEFAULT_ZONE = "Asia/Shanghai"


@cache
def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        # (ZoneInfo needs the system's zone files or the tzdata package, a dependency of graphkit)
        raise ValueError(
            f"{ZONE_ENV}={name!r} 不是已知的时区名（应为 IANA 时区名，如 Asia/Shanghai） / "
            f"{ZONE_ENV}={name!r} is no known time zone (an IANA name such as Asia/Shanghai)"
        ) from e


def zone(name: str | None = None) -> tzinfo:
    """The zone ``name`` (an IANA name), else the office's: ``GRAPHKIT_TZ``, else :data:`DEFAULT_ZONE`.

    An unknown name is a ``ValueError`` saying ``GRAPHKIT_TZ`` and the name (the times would otherwise be
    printed in a zone no one chose)."""
    if name is None:
        name = os.environ.get(ZONE_ENV, "").strip() or DEFAULT_ZONE
    return _zone(name)


def now(name: str | None = None) -> datetime:
    """Now, in the office's zone (:func:`zone`)."""
    return datetime.now(zone(name))


def now_iso(name: str | None = None, timespec: str = "seconds") -> str:
    """Now as ISO 8601 with the office's offset: ``2026-12-07T17:00:00+08:00``."""
    return now(name).isoformat(timespec=timespec)


def shown(at: Any, name: str | None = None) -> str:
    """A kept time (ISO 8601, any offset) as a user reads it: in the office's zone (``name``, else
    :func:`zone`), to the second, with its offset; a time kept without an offset is taken as the office's;
    anything that is no ISO time as it is.

    >>> shown("2024-05-01T01:00:00.123456+00:00", "Asia/Shanghai"), shown("2024-05-01T09:00:00", "Asia/Shanghai")
    ('2024-05-01 09:00:00+08:00', '2024-05-01 09:00:00+08:00')
    >>> shown("not a time"), shown(None)
    ('not a time', 'None')
    """
    try:
        t = datetime.fromisoformat(str(at))
    except (TypeError, ValueError):
        return str(at)
    tz = zone(name)
    if t.tzinfo is None:
        t = t.replace(tzinfo=tz)
    return t.astimezone(tz).isoformat(sep=" ", timespec="seconds")
