"""Named observing sites: four built into the program, plus the user's own in a TOML file.

The public entry for observers; other code imports from here. The work is done in modules of
one job each:

- `observer_lookup`: the built-in places (in Azerbaijan, the project's home), their aliases,
  and finding an observer by the name a person typed;
- `observer_checks`: building a validated observer from what a person typed (coordinates,
  name, time zone, horizon), and naming an unnamed place by its coordinates;
- `observers_file`: the user's observers.toml, read and checked with `tomllib`, edited by
  `observers add/remove` in place (`observers_toml`, with `tomlkit`) and written atomically.
"""

from __future__ import annotations

from passpredict.inputs.observer_checks import (
    HEMISPHERE_LETTERS,
    adhoc_observer,
    coordinates_name,
    make_observer,
    parse_coordinate,
    validate_name,
    validate_timezone,
)
from passpredict.inputs.observer_lookup import (
    BAKU_TZ,
    DEFAULT_OBSERVER_NAME,
    builtin_observers,
    default_observer,
    find_observer,
    short_name,
)
from passpredict.inputs.observers_file import (
    ObserverFileError,
    add_user_observer,
    all_observers,
    dumps_observers,
    load_user_observers,
    remove_user_observer,
)

__all__ = [
    "BAKU_TZ",
    "DEFAULT_OBSERVER_NAME",
    "HEMISPHERE_LETTERS",
    "ObserverFileError",
    "add_user_observer",
    "adhoc_observer",
    "all_observers",
    "builtin_observers",
    "coordinates_name",
    "default_observer",
    "dumps_observers",
    "find_observer",
    "load_user_observers",
    "make_observer",
    "parse_coordinate",
    "remove_user_observer",
    "short_name",
    "validate_name",
    "validate_timezone",
]
