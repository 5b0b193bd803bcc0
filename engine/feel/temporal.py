"""FEEL temporal values: parsing and printing of date, time, date and time and durations.

date ``datetime.date``; date and time ``datetime.datetime`` (tzinfo None = local time,
``datetime.timezone`` = fixed offset, ``zoneinfo.ZoneInfo`` = IANA zone); time ``Time`` (below);
days-and-time duration ``timedelta``; years-and-months duration ``YearsMonths``.
The parsers return None for text that is not a valid value; the built-ins turn that into a
FeelEvaluationError with a Dutch message.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .values import YearsMonths

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover
    ZoneInfo = None
    ZoneInfoNotFoundError = Exception

UTC = _dt.timezone.utc
_MAX_OFFSET = _dt.timedelta(hours=18)
_REFERENCE_DATE = _dt.date(1970, 1, 1)  # to give a time with an IANA zone an offset


def is_date(value) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


def is_datetime(value) -> bool:
    return isinstance(value, _dt.datetime)


def is_time(value) -> bool:
    return isinstance(value, Time)


def is_duration(value) -> bool:
    return isinstance(value, (_dt.timedelta, YearsMonths))


@lru_cache(maxsize=512)
def zone(name: str):
    """The IANA zone of that name, or None when unknown."""
    if ZoneInfo is None or not name or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@dataclass(frozen=True)
class Time:
    """A FEEL time of day: hour, minute, second, nanosecond and an optional offset or zone."""
    hour: int
    minute: int
    second: int
    nanosecond: int = 0
    tzinfo: object = None  # None | datetime.timezone | ZoneInfo

    @property
    def microsecond(self) -> int:
        return self.nanosecond // 1000

    def offset(self):
        """The offset from UTC as a timedelta, or None for a local time."""
        if self.tzinfo is None:
            return None
        if isinstance(self.tzinfo, _dt.timezone):
            return self.tzinfo.utcoffset(None)
        return _dt.datetime.combine(_REFERENCE_DATE, _dt.time(self.hour, self.minute, self.second),
                                    self.tzinfo).utcoffset()

    def seconds(self) -> int:
        """Seconds since midnight (local, whole seconds)."""
        return self.hour * 3600 + self.minute * 60 + self.second

    def utc_key(self):
        """(seconds since midnight UTC at second resolution) or None for local times."""
        off = self.offset()
        if off is None:
            return None
        return (self.seconds() - int(off.total_seconds())) % 86400

    def to_time(self) -> _dt.time:
        tz = self.tzinfo if isinstance(self.tzinfo, _dt.timezone) else None
        return _dt.time(self.hour, self.minute, self.second, self.microsecond, tz)

    @classmethod
    def from_time(cls, t: _dt.time, tzinfo=None, nanosecond=None) -> "Time":
        return cls(t.hour, t.minute, t.second, t.microsecond * 1000 if nanosecond is None else nanosecond,
                   tzinfo if tzinfo is not None else t.tzinfo)

    def add_seconds(self, delta) -> "Time":
        """This time moved by a number of seconds (int or Decimal/float), wrapping around midnight."""
        total_ns = (self.seconds() * 10 ** 9 + self.nanosecond + int(Decimal(delta) * 10 ** 9)) % (86400 * 10 ** 9)
        secs, ns = divmod(total_ns, 10 ** 9)
        h, rest = divmod(secs, 3600)
        m, s = divmod(rest, 60)
        return Time(h, m, s, ns, self.tzinfo)

    def __str__(self) -> str:
        return format_time(self)


# ------------------------------------------------------------------ printing

def _fraction(nanos: int) -> str:
    if not nanos:
        return ""
    return "." + f"{nanos:09d}".rstrip("0")


def format_offset(tz, at: _dt.datetime | None = None) -> str:
    if tz is None:
        return ""
    if not isinstance(tz, _dt.timezone):
        return "@" + getattr(tz, "key", str(tz))
    off = tz.utcoffset(at)
    if not off:
        return "Z"
    sign = "-" if off < _dt.timedelta(0) else "+"
    secs = int(abs(off).total_seconds())
    h, rest = divmod(secs, 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def format_time(t: Time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}{_fraction(t.nanosecond)}{format_offset(t.tzinfo)}"


def format_date(d) -> str:
    if isinstance(d, _dt.datetime):
        d = d.date()
    return d.isoformat()


def format_datetime(dt: _dt.datetime) -> str:
    return (f"{dt.date().isoformat()}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
            f"{_fraction(dt.microsecond * 1000)}{format_offset(dt.tzinfo, dt)}")


def format_days_time(td: _dt.timedelta) -> str:
    micros = (td.days * 86400 + td.seconds) * 10 ** 6 + td.microseconds
    return format_duration_seconds(Decimal(micros) / 10 ** 6)


def format_duration_seconds(total) -> str:
    """ISO text of a days-and-time duration given in seconds (int or Decimal)."""
    total = Decimal(total)
    sign = "-" if total < 0 else ""
    total = abs(total)
    whole = int(total)
    frac = total - whole
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = sign + "P"
    if days:
        text += f"{days}D"
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if seconds or frac:
        sec = Decimal(seconds) + frac
        s = format(sec.normalize(), "f") if frac else str(seconds)
        time += f"{s}S"
    if time:
        text += "T" + time
    if text in ("P", "-P"):
        return "PT0S"
    return text


def format_years_months(ym: YearsMonths) -> str:
    return str(ym)


# ------------------------------------------------------------------ parsing

_DATE = re.compile(r"^(-?)(\d{4,9})-(\d\d)-(\d\d)$")
_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d(?::\d\d)?|@[A-Za-z][A-Za-z0-9_+\-/]*)?$")
_DURATION = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?$")


def parse_date(text: str):
    """A FEEL date from ``YYYY-MM-DD`` text, or None when invalid or not representable."""
    m = _DATE.match(text) if isinstance(text, str) else None
    if not m:
        return None
    sign, year, month, day = m.groups()
    if len(year) > 4 and year.startswith("0"):
        return None
    y = int(year) * (-1 if sign else 1)
    try:
        return _dt.date(y, int(month), int(day))
    except ValueError:
        return None


def _tz_from_text(text: str | None):
    """(ok, tzinfo) for the offset/zone suffix of a time."""
    if not text:
        return True, None
    if text == "Z":
        return True, UTC
    if text.startswith("@"):
        z = zone(text[1:])
        return (z is not None), z
    sign = -1 if text[0] == "-" else 1
    parts = [int(p) for p in text[1:].split(":")]
    h, m = parts[0], parts[1]
    s = parts[2] if len(parts) > 2 else 0
    if m > 59 or s > 59:
        return False, None
    off = _dt.timedelta(hours=h, minutes=m, seconds=s)
    if off > _MAX_OFFSET:
        return False, None
    return True, _dt.timezone(sign * off) if off else UTC


def parse_time(text: str):
    """A FEEL time from ``hh:mm:ss[.fff][Z|+hh:mm|@Zone]``, or None when invalid."""
    m = _TIME.match(text) if isinstance(text, str) else None
    if not m:
        return None
    hh, mm, ss, frac, tz = m.groups()
    h, mi, s = int(hh), int(mm), int(ss)
    nanos = int((frac or "0")[:9].ljust(9, "0"))
    if h == 24 and mi == 0 and s == 0 and not nanos:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        return None
    ok, tzinfo = _tz_from_text(tz)
    if not ok:
        return None
    return Time(h, mi, s, nanos, tzinfo)


def parse_datetime(text: str):
    """A FEEL date and time from ``date 'T' time`` text (or a date alone: midnight), or None."""
    if not isinstance(text, str):
        return None
    if "T" not in text:
        d = parse_date(text)
        return None if d is None else _dt.datetime(d.year, d.month, d.day)
    date_part, _, time_part = text.partition("T")
    d = parse_date(date_part)
    if d is None:
        return None
    if time_part.startswith("24:00:00") and time_part[8:9] in ("", "Z", "+", "-", "@"):
        d = d + _dt.timedelta(days=1)
    t = parse_time(time_part)
    if t is None:
        return None
    return combine(d, t)


def combine(d: _dt.date, t: Time) -> _dt.datetime:
    return _dt.datetime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo)


def parse_duration(text: str):
    """A days-and-time (timedelta) or years-and-months (YearsMonths) duration, or None."""
    m = _DURATION.match(text) if isinstance(text, str) else None
    if not m or text.endswith("T") or text.rstrip("-") in ("P",) or text in ("P", "-P"):
        return None
    sign, years, months, days, hours, minutes, seconds = m.groups()
    factor = -1 if sign else 1
    ym = years is not None or months is not None
    dt = any(x is not None for x in (days, hours, minutes, seconds))
    if ym and dt:
        return None
    if ym:
        return YearsMonths(factor * (int(years or 0) * 12 + int(months or 0)))
    try:
        secs = Decimal(seconds) if seconds else Decimal(0)
        micros = int(secs * 10 ** 6)
        td = _dt.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                           microseconds=micros)
    except (OverflowError, ArithmeticError, ValueError):
        return None
    return -td if factor < 0 else td


def parse_temporal(text: str):
    """The value of an ``@"..."`` literal: date, time, date and time or duration; or None."""
    if not isinstance(text, str) or not text:
        return None
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    if "T" in text:
        return parse_datetime(text)
    if ":" in text and "-" not in text[:3]:
        return parse_time(text)
    return parse_date(text)


# ------------------------------------------------------------------ calendar arithmetic

def add_months(value, months: int):
    """A date or date and time moved by whole months; the day is clamped to the month's end."""
    total = value.year * 12 + (value.month - 1) + months
    year, month0 = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    day = min(value.day, calendar.monthrange(year, month0 + 1)[1])
    return value.replace(year=year, month=month0 + 1, day=day)


def months_between(start, end) -> int:
    """Whole months from the date of start to the date of end, truncated toward zero (the
    time of day does not count: TCK 1121)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def instant_key(dt: _dt.datetime):
    """Seconds since the epoch at second resolution (aware) or a naive tuple key."""
    if dt.tzinfo is None:
        return None
    td = dt - _dt.datetime(1970, 1, 1, tzinfo=UTC)
    return td.days * 86400 + td.seconds
