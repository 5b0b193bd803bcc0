"""Context functions (DMN 1.5 §10.3.4.9): get value, get entries, context, context put,
context merge."""
from __future__ import annotations

from ._core import NextSignature, builtin, error, need


def _ctx(value, fname, param="m"):
    need(isinstance(value, dict), fname, param, value, "een context")
    return value


@builtin("get value", "m, key")
def get_value(m, key):
    if isinstance(key, list):
        raise NextSignature
    _ctx(m, "get value")
    need(isinstance(key, str), "get value", "key", key, "een tekst")
    return m.get(key)


@builtin("get value", "m, keys")
def get_value_path(m, keys):
    _ctx(m, "get value")
    need(isinstance(keys, list), "get value", "keys", keys, "een lijst van teksten")
    value = m
    for k in keys:
        need(isinstance(k, str), "get value", "keys", k, "een lijst van teksten")
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


@builtin("get entries", "m")
def get_entries(m):
    _ctx(m, "get entries")
    return [{"key": k, "value": v} for k, v in m.items()]


@builtin("context", "entries")
def context(entries):
    if isinstance(entries, dict):
        entries = [entries]
    need(isinstance(entries, list), "context", "entries", entries, "een lijst van contexten met key en value")
    out = {}
    for entry in entries:
        if not isinstance(entry, dict) or "key" not in entry or "value" not in entry:
            raise error("context: elk item moet een context met 'key' en 'value' zijn.", "builtin.invalid_argument")
        key = entry["key"]
        need(isinstance(key, str), "context", "key", key, "een tekst")
        if key in out:
            raise error(f"context: de sleutel '{key}' komt twee keer voor.", "builtin.duplicate_key")
        out[key] = entry["value"]
    return out


def _put(ctx: dict, keys: list, value):
    out = dict(ctx)
    head, rest = keys[0], keys[1:]
    if not rest:
        out[head] = value
        return out
    inner = out.get(head)
    if inner is None and head not in out:
        inner = {}
    if not isinstance(inner, dict):
        raise error(f"context put: '{head}' is geen context, dus daarin kan niets gezet worden.",
                    "builtin.invalid_argument")
    out[head] = _put(inner, rest, value)
    return out


@builtin("context put", "context, key, value")
def context_put(context, key, value):  # noqa: A002
    if isinstance(key, list):
        raise NextSignature
    _ctx(context, "context put", "context")
    need(isinstance(key, str), "context put", "key", key, "een tekst")
    return _put(context, [key], value)


@builtin("context put", "context, keys, value")
def context_put_path(context, keys, value):  # noqa: A002
    _ctx(context, "context put", "context")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise error("context put: 'keys' moet een niet-lege lijst van teksten zijn.", "builtin.invalid_argument")
    return _put(context, keys, value)


@builtin("context merge", "contexts")
def context_merge(contexts):
    if isinstance(contexts, dict):
        contexts = [contexts]
    need(isinstance(contexts, list), "context merge", "contexts", contexts, "een lijst van contexten")
    out = {}
    for c in contexts:
        need(isinstance(c, dict), "context merge", "contexts", c, "een lijst van contexten")
        out.update(c)
    return out
