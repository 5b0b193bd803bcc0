"""Parsing and printing of FEEL temporal values (engine.feel.temporal, engine.feel.format)."""
import datetime as dt
from decimal import Decimal as D

import pytest

from engine.feel import temporal
from engine.feel.format import feel_literal, to_string
from engine.feel.temporal import Time, parse_temporal
from engine.feel.values import Range, YearsMonths


@pytest.mark.parametrize("text", [
    "2017-12-31", "10:30:00", "10:30:00.123456789@Europe/Paris", "13:20:00+02:00", "13:20:00-05:00", "11:00:00Z",
    "2017-12-31T11:22:33", "2017-12-31T11:22:33.567Z", "2017-12-31T11:22:33+01:35",
    "2011-12-31T10:15:30@Europe/Paris", "2011-12-31T10:15:30@Etc/UTC",
    "P1D", "PT2H", "PT0.999S", "-PT1H2M", "P2DT4H34M", "P1Y2M", "-P1Y", "P0M",
])
def test_round_trip(text):
    assert to_string(parse_temporal(text)) == text


@pytest.mark.parametrize("text, expected", [
    ("11:22:33-00:00", "11:22:33Z"), ("PT1000M", "PT16H40M"), ("PT24H", "P1D"), ("PT0.000S", "PT0S"),
    ("P0D", "PT0S"), ("P26M", "P2Y2M"), ("P999999999M", "P83333333Y3M"), ("P0Y", "P0M"),
    ("2017-12-31T24:00:00", "2018-01-01T00:00:00"),
])
def test_normalised_text(text, expected):
    assert to_string(parse_temporal(text)) == expected


@pytest.mark.parametrize("text", [
    "", "2012/12/25", "2017-13-10", "2017-12-32", "998-12-31", "01211-12-31", "+2012-12-02", "2012-12-25T",
    "24:00:01", "25:00:00", "00:60:00", "7:00:00", "13:20:00@xyz/abc", "13:20:00+19:00", "13:20:00+5:00",
    "13:20:00+02:00@Europe/Paris", "2011-12-0310:15:30", "P", "P0", "1Y", "P1H", "P1S", "P1Y2D", "PT",
])
def test_invalid_text_gives_none(text):
    assert parse_temporal(text) is None


def test_zones_and_offsets():
    paris = parse_temporal("2018-12-08T00:00:00@Europe/Paris")
    assert paris.utcoffset() == dt.timedelta(hours=1)
    t = parse_temporal("10:30:00.5+02:00")
    assert (t.hour, t.second, t.nanosecond, t.offset()) == (10, 0, 500000000, dt.timedelta(hours=2))
    assert parse_temporal("10:30:00@Europe/Paris").offset() is not None


def test_months_between_counts_dates_only():
    assert temporal.months_between(parse_temporal("2014-12-31T23:59:59"),
                                   parse_temporal("2016-12-31T00:00:01")) == 24
    assert temporal.months_between(dt.date(2013, 8, 24), dt.date(2011, 12, 22)) == -20


@pytest.mark.parametrize("value, literal", [
    (None, "null"), (True, "true"), (D("1.50"), "1.5"), (D("1E+3"), "1000"), ('a "b"', '"a \\"b\\""'),
    (dt.date(2027, 1, 1), 'date("2027-01-01")'), (dt.timedelta(days=1, hours=2), 'duration("P1DT2H")'),
    (YearsMonths(14), 'duration("P1Y2M")'), (Time(10, 0, 0), 'time("10:00:00")'),
    ([1, "a"], '[1, "a"]'), ({"a b": 1, "c+d": None}, '{a b: 1, "c+d": null}'),
    (Range(1, 10, False, True), "(1..10]"), (Range(None, 5, False, False), "< 5"),
])
def test_feel_literal(value, literal):
    assert feel_literal(value) == literal


def test_string_of_structures():
    assert to_string([1, "a", None]) == '[1, "a", null]'
    assert to_string({"a": D("1.0")}) == "{a: 1}"
    assert to_string(None) is None


@pytest.mark.parametrize("expression, expected", [
    (("-2021-01-01T10:10:10+11:00", "add", "P1M"), "-2021-02-01T10:10:10+11:00"),
    (("-2021-01-01T10:10:10+11:00", "add", "-P1D"), "-2022-12-31T10:10:10+11:00"),
    (("-2021-01-01T10:10:10@Australia/Melbourne", "sub", "P1Y"), "-2022-01-01T10:10:10@Australia/Melbourne"),
    (("9999-12-31", "add", "P1D"), "10000-01-01"),
    (("-0001-12-31", "add", "P1D"), "0000-01-01"),
])
def test_years_outside_1_to_9999(expression, expected):
    from engine.feel import ops
    a, op, b = expression
    assert to_string(getattr(ops, op)(parse_temporal(a), parse_temporal(b))) == expected


def test_far_dates_round_trip_compare_and_count():
    from engine.feel import ops
    for text in ("-2017-12-31", "999999999-12-31", "-999999999-12-31", "99999-12-31T11:22:33",
                 "-2017-12-31T11:22:33.456+01:35", "999999999-12-31T23:59:59.999999999@Europe/Paris"):
        assert to_string(parse_temporal(text)) == text
    early, late = parse_temporal("-2017-12-31"), parse_temporal("2017-12-31")
    assert ops.lt(early, late) is True and ops.eq(early, parse_temporal("-2017-12-31")) is True
    assert ops.sub(late, early) == dt.timedelta(days=4034 * 365 + 979)  # 979 leap years in -2016..2017
    assert temporal.months_between(parse_temporal("2014-12-31T23:59:59"),
                                   parse_temporal("-2019-10-01T12:32:59")) == -48398
    assert ops.path(early, "year") == -2017 and ops.path(early, "weekday") == 6  # a Saturday


def test_nanoseconds_survive_in_date_and_time():
    value = parse_temporal("2011-12-31T10:15:30.123456789@Europe/Paris")
    assert to_string(value) == "2011-12-31T10:15:30.123456789@Europe/Paris"
    assert temporal.nanosecond_of(value) == 123456789
