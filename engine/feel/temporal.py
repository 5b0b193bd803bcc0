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
    return (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)) or isinstance(value, FarDate)


def is_datetime(value) -> bool:
    return isinstance(value, (_dt.datetime, FarDateTime))


def is_date_like(value) -> bool:
    """A date or a date and time (either has a calendar date)."""
    return isinstance(value, (_dt.date, FarDate, FarDateTime))


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



# ------------------------------------------------------------------ years outside 1..9999
#
# Python's date stops at years 1 and 9999; FEEL (like XML Schema) allows any year, including
# negative ones (astronomical numbering, -0001 is two years before 0001). The Gregorian calendar
# repeats exactly every 400 years (146097 days, weekdays included), so a far date is a Python
# date in the years 2000..2399 plus a number of 400-year cycles.

CYCLE_YEARS = 400
CYCLE_DAYS = 146097
_BASE_YEAR = 2000


def _cycles_of(year: int) -> int:
    return (year - _BASE_YEAR) // CYCLE_YEARS


@dataclass(frozen=True)
class FarDate:
    """A FEEL date outside the years 1..9999."""
    base: _dt.date          # the same day of the year in 2000..2399
    cycles: int             # year = base.year + 400 * cycles

    @property
    def year(self) -> int:
        return self.base.year + CYCLE_YEARS * self.cycles

    @property
    def month(self) -> int:
        return self.base.month

    @property
    def day(self) -> int:
        return self.base.day

    def toordinal(self) -> int:
        return self.base.toordinal() + self.cycles * CYCLE_DAYS

    def weekday(self) -> int:
        return self.base.weekday()

    def isoweekday(self) -> int:
        return self.base.isoweekday()

    def isocalendar(self):
        return self.base.isocalendar()

    def timetuple(self):
        return self.base.timetuple()

    def date(self):
        return self

    def isoformat(self) -> str:
        return format_date(self)

    def __lt__(self, other):
        return self.toordinal() < other.toordinal()

    def __str__(self) -> str:
        return format_date(self)

    def __repr__(self) -> str:
        return f"FarDate({format_date(self)!r})"


@dataclass(frozen=True)
class FarDateTime:
    """A FEEL date and time outside the years 1..9999."""
    base: _dt.datetime
    cycles: int

    year = FarDate.year
    month = FarDate.month
    day = FarDate.day

    @property
    def hour(self):
        return self.base.hour

    @property
    def minute(self):
        return self.base.minute

    @property
    def second(self):
        return self.base.second

    @property
    def microsecond(self):
        return self.base.microsecond

    @property
    def tzinfo(self):
        return self.base.tzinfo

    def utcoffset(self):
        return self.base.utcoffset()

    def toordinal(self) -> int:
        return self.base.toordinal() + self.cycles * CYCLE_DAYS

    def weekday(self) -> int:
        return self.base.weekday()

    def isoweekday(self) -> int:
        return self.base.isoweekday()

    def isocalendar(self):
        return self.base.isocalendar()

    def timetuple(self):
        return self.base.timetuple()

    def date(self):
        return FarDate(self.base.date(), self.cycles)

    def replace(self, **changes):
        return FarDateTime(self.base.replace(**changes), self.cycles)

    def __str__(self) -> str:
        return format_datetime(self)

    def __repr__(self) -> str:
        return f"FarDateTime({format_datetime(self)!r})"


class NanoDateTime(_dt.datetime):
    """A date and time whose fraction of a second goes beyond microseconds (``extra_ns``:
    the nanoseconds below the microsecond). Arithmetic gives plain datetimes again."""
    extra_ns: int = 0


def with_nanos(dt, nanosecond: int):
    """dt with the fraction of its second set to a number of nanoseconds."""
    extra = nanosecond % 1000
    if isinstance(dt, FarDateTime):
        return FarDateTime(with_nanos(dt.base, nanosecond), dt.cycles)
    if not extra:
        return dt.replace(microsecond=nanosecond // 1000) if type(dt) is _dt.datetime else \
            _dt.datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, nanosecond // 1000, dt.tzinfo)
    out = NanoDateTime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, nanosecond // 1000, dt.tzinfo)
    out.extra_ns = extra
    return out


def nanosecond_of(dt) -> int:
    base = dt.base if isinstance(dt, FarDateTime) else dt
    return base.microsecond * 1000 + getattr(base, "extra_ns", 0)


def split(value):
    """(a Python date/datetime in the years 2000..2399, cycles) for any date or date and time."""
    if isinstance(value, (FarDate, FarDateTime)):
        return value.base, value.cycles
    k = _cycles_of(value.year)
    if not k:
        return value, 0
    return value.replace(year=value.year - CYCLE_YEARS * k), k


def join(base, cycles: int):
    """The FEEL value of a base date/datetime moved by whole 400-year cycles (plain Python
    types for the years 1..9999)."""
    k = _cycles_of(base.year)
    base, cycles = (base.replace(year=base.year - CYCLE_YEARS * k), cycles + k) if k else (base, cycles)
    year = base.year + CYCLE_YEARS * cycles
    if 1 <= year <= 9999:
        return base.replace(year=year) if cycles else base
    return FarDateTime(base, cycles) if isinstance(base, _dt.datetime) else FarDate(base, cycles)


def make_date(year: int, month: int, day: int):
    """A date for any year (ValueError for a month or day that does not exist)."""
    if 1 <= year <= 9999:
        return _dt.date(year, month, day)
    k = _cycles_of(year)
    return FarDate(_dt.date(year - CYCLE_YEARS * k, month, day), k)


def shift_days(value, delta: _dt.timedelta):
    """A date or date and time moved by a timedelta, for any year."""
    base, cycles = split(value)
    whole, rest = divmod(delta.days, CYCLE_DAYS)
    return join(base + _dt.timedelta(days=rest, seconds=delta.seconds, microseconds=delta.microseconds),
                cycles + whole)


def days_between(a, b) -> _dt.timedelta:
    """a - b for two dates, or two date-times that are both local or both zoned, any years."""
    (x, cx), (y, cy) = split(a), split(b)
    if isinstance(x, _dt.datetime) and x.tzinfo is not None:
        x, y = x.astimezone(UTC), y.astimezone(UTC)
    return (x - y) + _dt.timedelta(days=(cx - cy) * CYCLE_DAYS)


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
    y = d.year
    return f"{'-' if y < 0 else ''}{abs(y):04d}-{d.month:02d}-{d.day:02d}"


def format_datetime(dt) -> str:
    at = dt.base if isinstance(dt, FarDateTime) else dt
    return (f"{format_date(dt)}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
            f"{_fraction(nanosecond_of(dt))}{format_offset(dt.tzinfo, at)}")


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
        return make_date(y, int(month), int(day))
    except (ValueError, OverflowError):
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
        return None if d is None else combine(d, Time(0, 0, 0))
    date_part, _, time_part = text.partition("T")
    d = parse_date(date_part)
    if d is None:
        return None
    next_day = time_part.startswith("24:00:00") and time_part[8:9] in ("", "Z", "+", "-", "@")
    t = parse_time(time_part)
    if t is None:
        return None
    dt = combine(d, t)
    return shift_days(dt, _dt.timedelta(days=1)) if next_day else dt


def combine(d, t: Time):
    """The date and time of a date (any year) and a time."""
    base, cycles = split(d if not is_datetime(d) else d.date())
    dt = join(_dt.datetime(base.year, base.month, base.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo),
              cycles)
    return with_nanos(dt, t.nanosecond) if t.nanosecond % 1000 else dt


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
    base, _ = split(value)
    k = _cycles_of(year)
    base_year = year - CYCLE_YEARS * k
    day = min(value.day, calendar.monthrange(base_year, month0 + 1)[1])
    return join(base.replace(year=base_year, month=month0 + 1, day=day), k)


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
    base, cycles = split(dt)
    td = base - _dt.datetime(1970, 1, 1, tzinfo=UTC)
    return (td.days + cycles * CYCLE_DAYS) * 86400 + td.seconds
