"""The built-in places and finding an observer by the name a person typed.

The four built-in sites are in Azerbaijan, the project's home; each has the other names people
type for it (Azerbaijani spellings, ASCII forms, short names). `find_observer` forgives case,
spacing, accents and punctuation, takes an alias or a unique prefix, and names the candidates
when it cannot decide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from passpredict.inputs.observer_checks import fold_name
from passpredict.records import Observer

BAKU_TZ = "Asia/Baku"

_BUILTINS: tuple[Observer, ...] = (
    # Heights are the published ones, above sea level, and are used as heights above the
    # WGS84 ellipsoid like every elevation_m (no geoid model is shipped): the difference, the
    # geoid height, is at most about 100 m anywhere on Earth, and 100 m moves a rise or set
    # by under 0.7 s and a maximum elevation by under 0.01 deg (measured; README, Passes).
    # Baku and Shamakhi: figures fixed in the project brief (not re-checked here). Baku's
    # -28 m is right: the city lies below sea level, on the shore of the Caspian.
    Observer("Baku", 40.4093, 49.8671, -28.0, BAKU_TZ),
    # The observatory's main site, near the village of Pirgulu.
    Observer("Shamakhi Astrophysical Observatory", 40.7720, 48.5846, 1435.0, BAKU_TZ),
    # City centre from the Wikipedia infobox "Ganja, Azerbaijan": 40°40′58″N 46°21′38″E, 408 m.
    Observer("Ganja", 40.6828, 46.3606, 408.0, BAKU_TZ),
    # City centre from the Wikipedia infobox "Nakhchivan (city)": 39°12′58″N 45°24′38″E,
    # 873 m. Older revisions give 39°12′32″N 45°24′44″E; the 0.8 km between the two does not
    # matter for pass times.
    Observer("Nakhchivan", 39.2161, 45.4106, 873.0, BAKU_TZ),
)

DEFAULT_OBSERVER_NAME = "Baku"

#: Other names people type for the built-in sites (Azerbaijani spellings, ASCII forms, short
#: names). A user observer may not take any of them, so a name always means one place.
_ALIASES: dict[str, tuple[str, ...]] = {
    "Baku": ("Bakı", "Baki"),
    "Shamakhi Astrophysical Observatory": (
        "Shamakhi",
        "Shamakhi Observatory",
        "ShAO",
        "Şamaxı",
        "Samaxi",
        "Shamakha",
    ),
    "Ganja": ("Gəncə", "Gence"),
    "Nakhchivan": ("Naxçıvan", "Naxcivan", "Nakhichevan"),
}

_SHORT_NAMES: dict[str, str] = {"Shamakhi Astrophysical Observatory": "Shamakhi"}
_MAX_LISTED_NAMES = 20
_MIN_PREFIX_CHARS = 3


def builtin_observers() -> list[Observer]:
    """Return the built-in observers, the default one (Baku) first."""
    return list(_BUILTINS)


def default_observer() -> Observer:
    """Return the observer used when the user names none."""
    return find_observer(DEFAULT_OBSERVER_NAME, _BUILTINS)


def short_name(observer: Observer) -> str:
    """Return a short display name ("Shamakhi" for the observatory, else the name itself)."""
    return (
        _SHORT_NAMES.get(observer.name, observer.name) if _is_builtin(observer) else observer.name
    )


def find_observer(name: str, observers: Sequence[Observer]) -> Observer:
    """Return the observer called `name`, forgiving case, spacing and punctuation.

    Tries an exact name, then a built-in's alias ("shamakhi", "Bakı"), then a unique prefix of
    at least three letters. Raises `ValueError` naming the known observers when nothing fits,
    or the candidates when several do.
    """
    key = fold_name(name)
    if not key:
        raise ValueError(f"observer name is empty; known observers: {list_names(observers)}")
    stages: tuple[Callable[[Observer], bool], ...] = (
        lambda obs: key == fold_name(obs.name),
        lambda obs: key in _alias_keys(obs),
        lambda obs: (
            len(key) >= _MIN_PREFIX_CHARS
            and any(k.startswith(key) for k in (fold_name(obs.name), *_alias_keys(obs)))
        ),
    )
    for matches_stage in stages:
        matches = [obs for obs in observers if matches_stage(obs)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(
                f"observer {name!r} is ambiguous, it could be {list_names(matches)}; "
                "give the full name"
            )
    raise ValueError(
        f"unknown observer {name!r}{_suggestion(key, observers)}; known observers: "
        f"{list_names(observers)}"
    )


def _is_builtin(observer: Observer) -> bool:
    return observer in _BUILTINS


def _alias_keys(observer: Observer) -> tuple[str, ...]:
    if not _is_builtin(observer):
        return ()
    return tuple(fold_name(alias) for alias in _ALIASES.get(observer.name, ()))


def builtin_named(name: str) -> Observer | None:
    """Return the built-in observer whose name or alias `name` is (after folding), if any."""
    key = fold_name(name)
    for builtin in _BUILTINS:
        if key == fold_name(builtin.name) or key in _alias_keys(builtin):
            return builtin
    return None


def list_names(observers: Sequence[Observer]) -> str:
    """The observers' names for a message, comma-separated, the first 20 and a count of the rest."""
    names = [obs.name for obs in observers]
    shown = ", ".join(names[:_MAX_LISTED_NAMES])
    hidden = len(names) - _MAX_LISTED_NAMES
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _suggestion(key: str, observers: Sequence[Observer]) -> str:
    by_key = {fold_name(obs.name): obs.name for obs in observers}
    import difflib  # only to suggest a fix for a misspelt name

    close = difflib.get_close_matches(key, list(by_key), n=1)
    return f" (did you mean {by_key[close[0]]!r}?)" if close else ""
