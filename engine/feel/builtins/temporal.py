"""Date and time functions (DMN 1.5 §10.3.4.7): day of year, day of week, month of year,
week of year, now, today."""
from __future__ import annotations

import datetime as _dt

from .. import temporal as _temporal
from ._core import builtin, need

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _date(value, fname):
    need(_temporal.is_date_like(value), fname, "date", value, "een datum of datum en tijd")
    return value


@builtin("day of year", "date")
def day_of_year(date):
    return _date(date, "day of year").timetuple().tm_yday


@builtin("day of week", "date")
def day_of_week(date):
    return _DAYS[_date(date, "day of week").weekday()]


@builtin("month of year", "date")
def month_of_year(date):
    return _MONTHS[_date(date, "month of year").month - 1]


@builtin("week of year", "date")
def week_of_year(date):
    return _date(date, "week of year").isocalendar()[1]


def _now(ctx):
    now = getattr(ctx, "now", None) if ctx is not None else None
    if callable(now):
        now = now()
    return now if isinstance(now, _dt.datetime) else _dt.datetime.now(_dt.timezone.utc).astimezone()


@builtin("now", "", needs_ctx=True)
def now(ctx):
    return _now(ctx)


@builtin("today", "", needs_ctx=True)
def today(ctx):
    return _now(ctx).date()
