"""String functions (DMN 1.5 §10.3.4.3)."""
from __future__ import annotations

from .. import regex
from ._core import builtin, error, is_num, need, need_list, need_str


@builtin("substring", "string, start position, length?")
def substring(string, start_position, length=None):
    need_str(string, "substring")
    need(is_num(start_position), "substring", "start position", start_position, "een getal")
    chars = len(string)
    start = int(start_position)
    begin = start - 1 if start > 0 else max(chars + start, 0)
    if length is None:
        return string[begin:]
    need(is_num(length), "substring", "length", length, "een getal")
    n = int(length)
    if n < 0:
        raise error("substring: de lengte mag niet negatief zijn.", "builtin.out_of_range")
    return string[begin:begin + n]


@builtin("string length", "string")
def string_length(string):
    return len(need_str(string, "string length"))


@builtin("upper case", "string")
def upper_case(string):
    return need_str(string, "upper case").upper()


@builtin("lower case", "string")
def lower_case(string):
    return need_str(string, "lower case").lower()


@builtin("substring before", "string, match")
def substring_before(string, match):
    need_str(string, "substring before")
    need_str(match, "substring before", "match")
    i = string.find(match)
    return "" if i < 0 else string[:i]


@builtin("substring after", "string, match")
def substring_after(string, match):
    need_str(string, "substring after")
    need_str(match, "substring after", "match")
    i = string.find(match)
    return "" if i < 0 else string[i + len(match):]


@builtin("contains", "string, match")
def contains(string, match):
    need_str(string, "contains")
    need_str(match, "contains", "match")
    return match in string


@builtin("starts with", "string, match")
def starts_with(string, match):
    need_str(string, "starts with")
    need_str(match, "starts with", "match")
    return string.startswith(match)


@builtin("ends with", "string, match")
def ends_with(string, match):
    need_str(string, "ends with")
    need_str(match, "ends with", "match")
    return string.endswith(match)


def _flags(flags, fname):
    if flags is None:
        return ""
    need_str(flags, fname, "flags")
    return flags


@builtin("matches", "input, pattern, flags?")
def matches(input, pattern, flags=None):  # noqa: A002 - spec name
    need_str(input, "matches", "input")
    need_str(pattern, "matches", "pattern")
    return regex.matches(input, pattern, _flags(flags, "matches"))


@builtin("replace", "input, pattern, replacement, flags?")
def replace(input, pattern, replacement, flags=None):  # noqa: A002
    need_str(input, "replace", "input")
    need_str(pattern, "replace", "pattern")
    need_str(replacement, "replace", "replacement")
    return regex.replace(input, pattern, replacement, _flags(flags, "replace"))


@builtin("split", "string, delimiter")
def split(string, delimiter):
    need_str(string, "split")
    need_str(delimiter, "split", "delimiter")
    return regex.split(string, delimiter)


@builtin("string join", "list, delimiter?")
def string_join(list, delimiter=None):  # noqa: A002
    if isinstance(list, str):
        list = [list]
    need_list(list, "string join")
    if delimiter is not None:
        need_str(delimiter, "string join", "delimiter")
    parts = []
    for item in list:
        if item is None:
            continue
        if not isinstance(item, str):
            raise error("string join: de lijst mag alleen teksten (of null) bevatten.", "builtin.invalid_argument")
        parts.append(item)
    return (delimiter or "").join(parts)
