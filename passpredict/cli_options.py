"""Click parameter types and shared options: validation lives here, not in the commands."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import click

from passpredict.timeutil import load_zone, parse_instant


class InstantType(click.ParamType):
    """An ISO 8601 date-time with an offset, as an aware UTC datetime."""

    name = "ISO8601"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, datetime):
            return value
        try:
            return parse_instant(str(value), "date-time")
        except ValueError as error:
            self.fail(str(error), param, ctx)


class ZoneType(click.ParamType):
    """An IANA time-zone name."""

    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, tzinfo):
            return value
        try:
            return load_zone(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


INSTANT = InstantType()
ZONE = ZoneType()
