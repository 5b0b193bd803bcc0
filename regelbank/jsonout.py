"""Engine values as JSON values: exact decimals become JSON numbers, dates ISO text."""
from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal


def jsonable(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def dumps(value, **kwargs) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False, **kwargs)
