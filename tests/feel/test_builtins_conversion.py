"""Conversion and date/time built-ins (DMN 1.5 §10.3.4.1, §10.3.4.7), from TCK 0058, 0095-0098, 1115-1121."""
import datetime as dt
from decimal import Decimal as D

import pytest

from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError
from engine.feel.temporal import Time, UTC, parse_temporal as T
from engine.feel.values import YearsMonths


def call(name, *args, **named):
    return BUILTINS[name].invoke(list(args), named or None)


@pytest.mark.parametrize("name, args, named, expected", [
    ("date", ("2017-12-31",), {}, dt.date(2017, 12, 31)), ("date", (2017, 1, 1), {}, dt.date(2017, 1, 1)),
    ("date", (T("2017-08-03T10:15:30+01:00"),), {}, dt.date(2017, 8, 3)),
    ("date", (), {"year": 2017, "month": 8, "day": 30}, dt.date(2017, 8, 30)),
    ("date and time", ("2012-12-24",), {}, dt.datetime(2012, 12, 24)),
    ("date and time", (T("2017-01-01"), T("23:59:01+02:00")), {}, T("2017-01-01T23:59:01+02:00")),
    ("date and time", (T("2017-08-10T10:20:00@Europe/Paris"), T("23:59:01")), {}, T("2017-08-10T23:59:01")),
    ("date and time", (), {"date": T("2017-01-01"), "time": T("23:59:01")}, T("2017-01-01T23:59:01")),
    ("time", ("11:22:33.444",), {}, Time(11, 22, 33, 444000000)),
    ("time", (T("2017-08-10T10:20:00+01:00"),), {}, T("10:20:00+01:00")),
    ("time", (T("2017-08-10"),), {}, Time(0, 0, 0, 0, UTC)),
    ("time", (11, 59, 45, T("PT2H")), {}, T("11:59:45+02:00")),        # keeps the offset
    ("time", (11, 59, 45, T("PT0H")), {}, T("11:59:45Z")), ("time", (12, 0, 0, None), {}, T("12:00:00")),
    ("time", (), {"hour": 11, "minute": 59, "second": 0, "offset": T("-PT2H")}, T("11:59:00-02:00")),
    ("number", ("1.000.000,01", ".", ","), {}, D("1000000.01")), ("number", ("1 000 000.01", " ", "."), {}, D("1000000.01")),
    ("number", ("1,000,000", ",", None), {}, 1000000), ("number", ("-1.5e3",), {}, -1500),
    ("number", (), {"from": "1.000.000,01", "decimal separator": ",", "grouping separator": "."}, D("1000000.01")),
    ("string", (T("2011-12-31T10:15:30@Europe/Paris"),), {}, "2011-12-31T10:15:30@Europe/Paris"),
    ("string", (None,), {}, None), ("string", (True,), {}, "true"),
    ("duration", ("P1DT2H3M4.5S",), {}, dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
    ("duration", ("-P100M",), {}, YearsMonths(-100)),
    ("years and months duration", (T("2011-12-22"), T("2013-08-24")), {}, YearsMonths(20)),
    ("years and months duration", (T("2016-09-30T23:25:00"), T("2017-12-28T12:12:12")), {}, YearsMonths(14)),
    ("years and months duration", (), {"from": T("2016-01-21"), "to": T("2015-01-21")}, YearsMonths(-12)),
    ("day of year", (T("2020-12-31"),), {}, 366), ("day of week", (), {"date": T("2019-09-17")}, "Tuesday"),
    ("month of year", (T("2019-09-17T10:10:10"),), {}, "September"),
    ("week of year", (T("2003-12-29"),), {}, 1), ("week of year", (T("2005-01-01"),), {}, 53),
    ("not", (True,), {}, False), ("not", (None,), {}, None),
])
def test_conversion(name, args, named, expected):
    result = call(name, *args, **named)
    assert result == expected and type(result) is type(expected)


def test_now_and_today():
    assert isinstance(call("now"), dt.datetime) and call("now").tzinfo is not None
    assert type(call("today")) is dt.date


@pytest.mark.parametrize("name, args, named", [
    ("date", (), {}), ("date", (None,), {}), ("date", ("2017-13-10",), {}), ("date", ("2012-12-25T",), {}),
    ("date", (2017, 13, 31), {}), ("date", (2017, None, 1), {}), ("date", ([],), {}), ("date", (1,), {}),
    ("date and time", ("2017-12-31T24:00:01",), {}), ("date and time", ("2017-12-31T13:20:00@xyz/abc",), {}),
    ("date and time", (T("2017-01-01"), None), {}),
    ("time", ("24:01:00",), {}), ("time", (24, 59, 45, None), {}), ("time", (12, None, 45, T("P0D")), {}),
    ("time", (2017,), {}), ("time", (1, 2, 3, T("P1Y")), {}),
    ("number", ("1,000,000.01", " ", "."), {}), ("number", ("1,000,000.00", ".", "."), {}),
    ("number", ("1.000.000,01", "."), {}), ("number", (123, ".", "."), {}), ("number", ("foo,bar.001", ".", ","), {}),
    ("number", (), {"from": "1", "decimal sep": ","}),
    ("duration", ("P",), {}), ("duration", ("P1H",), {}), ("duration", (2017,), {}),
    ("years and months duration", (T("2017-08-11"), None), {}), ("years and months duration", ([], []), {}),
    ("day of year", (), {"value": T("1970-01-01")}), ("day of week", (None,), {}), ("week of year", ("foo",), {}),
    ("not", (1,), {}),
])
def test_invalid_arguments_raise_feel_error(name, args, named):
    with pytest.raises(FeelEvaluationError):
        call(name, *args, **named)
