"""Observers: built-in sites, name lookup, ad-hoc places and the user's TOML file."""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from passpredict.inputs import observers as obs
from passpredict.inputs import observers_file as obs_file
from passpredict.inputs.observers import ObserverFileError
from passpredict.records import Observer

#: Azerbaijan's extent (Nakhchivan exclave to the Caspian coast), a sanity box for built-ins.
AZ_LAT_DEG = (38.3, 41.95)
AZ_LON_DEG = (44.7, 50.7)

ROOF = Observer("My Roof", 40.39, 49.85, 30.0, "Asia/Baku")


@pytest.fixture
def observers_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "observers.toml"


# --- built-ins --------------------------------------------------------------------------------


def test_builtins_are_the_four_azerbaijani_sites_with_baku_first():
    names = [o.name for o in obs.builtin_observers()]
    assert names == ["Baku", "Shamakhi Astrophysical Observatory", "Ganja", "Nakhchivan"]
    assert obs.default_observer().name == "Baku"


def test_builtins_lie_in_azerbaijan_and_display_baku_time():
    for observer in obs.builtin_observers():
        assert AZ_LAT_DEG[0] < observer.latitude_deg < AZ_LAT_DEG[1], observer
        assert AZ_LON_DEG[0] < observer.longitude_deg < AZ_LON_DEG[1], observer
        assert observer.timezone == "Asia/Baku"
        assert obs.validate_timezone(observer.timezone) == "Asia/Baku"


def test_builtin_figures_from_the_brief():
    baku, shamakhi, *_ = obs.builtin_observers()
    assert (baku.latitude_deg, baku.longitude_deg, baku.elevation_m) == (40.4093, 49.8671, -28.0)
    assert (shamakhi.latitude_deg, shamakhi.longitude_deg, shamakhi.elevation_m) == (
        40.7720,
        48.5846,
        1435.0,
    )
    assert obs.short_name(shamakhi) == "Shamakhi"
    assert obs.short_name(baku) == "Baku"


def test_builtins_are_frozen_and_the_list_is_a_copy():
    first = obs.builtin_observers()
    with pytest.raises(FrozenInstanceError):
        first[0].name = "Paris"  # type: ignore[misc]
    first.clear()
    assert len(obs.builtin_observers()) == 4


# --- find_observer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Baku", "Baku"),
        ("BAKU", "Baku"),
        ("  baku ", "Baku"),
        ("Bakı", "Baku"),
        ("shamakhi", "Shamakhi Astrophysical Observatory"),
        ("Shamakhi Astrophysical Observatory", "Shamakhi Astrophysical Observatory"),
        ("shamakhi-astrophysical_observatory", "Shamakhi Astrophysical Observatory"),
        ("ShAO", "Shamakhi Astrophysical Observatory"),
        ("Şamaxı", "Shamakhi Astrophysical Observatory"),
        ("gəncə", "Ganja"),
        ("Naxçıvan", "Nakhchivan"),
        ("nakh", "Nakhchivan"),  # a unique prefix of three letters or more
    ],
)
def test_find_observer_forgives_case_spacing_and_known_variants(query, expected):
    assert obs.find_observer(query, obs.builtin_observers()).name == expected


def test_find_observer_unknown_name_lists_known_names_and_suggests():
    with pytest.raises(ValueError, match="unknown observer 'Ganjaa'") as info:
        obs.find_observer("Ganjaa", obs.builtin_observers())
    message = str(info.value)
    assert "did you mean 'Ganja'" in message
    for name in ("Baku", "Shamakhi Astrophysical Observatory", "Ganja", "Nakhchivan"):
        assert name in message
    assert "\n" not in message


def test_find_observer_short_prefix_is_not_guessed():
    with pytest.raises(ValueError, match="unknown observer 'ga'"):
        obs.find_observer("ga", obs.builtin_observers())


def test_find_observer_ambiguous_prefix_names_the_candidates():
    sites = [
        *obs.builtin_observers(),
        Observer("Roof North", 1.0, 1.0),
        Observer("Roof South", 2.0, 2.0),
    ]
    with pytest.raises(ValueError) as info:
        obs.find_observer("roof", sites)
    assert str(info.value) == (
        "observer 'roof' is ambiguous, it could be Roof North, Roof South; give the full name"
    )


def test_find_observer_prefers_exact_name_over_prefix():
    sites = [Observer("Roof", 1.0, 1.0), Observer("Roof Two", 2.0, 2.0)]
    assert obs.find_observer("roof", sites).name == "Roof"


def test_find_observer_empty_name():
    with pytest.raises(ValueError, match="observer name is empty"):
        obs.find_observer(" - ", obs.builtin_observers())


def test_find_observer_long_lists_are_truncated():
    many = [Observer(f"Site {i}", 0.0, 0.0) for i in range(50)]
    with pytest.raises(ValueError, match=r"Site 19 and 30 more$"):
        obs.find_observer("elsewhere", many)


# --- ad-hoc observers and validation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "name", "zone"),
    [
        (40.4093, 49.8671, "40.4093N 49.8671E", "Asia/Baku"),
        (-33.8688, 151.2093, "33.8688S 151.2093E", "Australia/Sydney"),
        (51.4779, -0.0015, "51.4779N 0.0015W", "Europe/London"),
        # rounds to zero: no "S" for "-0.0000"; the Gulf of Guinea keeps UTC's nautical zone
        (-0.00001, -0.00004, "0.0000N 0.0000E", "Etc/GMT"),
        (90, -180, "90.0000N 180.0000W", "Etc/"),  # the pole: some nautical zone
    ],
)
def test_adhoc_observer_is_named_by_its_coordinates(lat, lon, name, zone):
    observer = obs.adhoc_observer(lat, lon)
    assert observer.name == name
    assert (observer.latitude_deg, observer.longitude_deg) == (lat, lon)
    assert observer.elevation_m == 0.0
    # Issue 14: a place given by coordinates gets its own zone (was None, i.e. UTC).
    assert observer.timezone.startswith(zone)


def test_adhoc_observer_keeps_elevation_and_timezone():
    observer = obs.adhoc_observer(40.0, 49.0, 120.0, "Asia/Baku")
    assert (observer.elevation_m, observer.timezone) == (120.0, "Asia/Baku")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((123, 0.0), "latitude_deg must be between -90 and +90, got 123.0"),
        ((123.0, 0.0), "latitude_deg must be between -90 and +90, got 123.0"),
        ((0.0, -181.5), "longitude_deg must be between -180 and +180, got -181.5"),
        ((0.0, 0.0, 12000.0), "elevation_m must be between -500 and +10000, got 12000.0"),
        ((float("nan"), 0.0), "latitude_deg must be a finite number, got nan"),
        (("40", 0.0), "latitude_deg must be a finite number, got '40'"),
        ((True, 0.0), "latitude_deg must be a finite number, got True"),
    ],
)
def test_adhoc_observer_rejects_bad_values_with_one_line(args, message):
    with pytest.raises(ValueError) as info:
        obs.adhoc_observer(*args)
    assert str(info.value) == message


def test_timezone_must_be_a_real_iana_zone_and_gets_suggestions():
    with pytest.raises(ValueError, match=r"got 'Asia/Bakuu'; did you mean 'Asia/Baku'"):
        obs.adhoc_observer(40.0, 49.0, timezone="Asia/Bakuu")
    for bad in ("", "../../etc/passwd", "/etc/localtime", "Mars/Olympus_Mons"):
        with pytest.raises(ValueError, match="must be an IANA time zone name"):
            obs.validate_timezone(bad)
    assert obs.validate_timezone("UTC") == "UTC"


@pytest.mark.parametrize("name", ["", "   ", "--", "a\nb", "tab\there", "x" * 81, "bad\udcff"])
def test_make_observer_refuses_names_that_cannot_be_stored_or_shown(name):
    with pytest.raises(ValueError, match="observer name"):
        obs.make_observer(name, 0.0, 0.0)


def test_make_observer_strips_the_name():
    assert obs.make_observer("  My Roof ", 1.0, 2.0).name == "My Roof"


# --- the user's file: reading -----------------------------------------------------------------


def test_missing_file_means_no_user_observers(observers_file):
    assert obs.load_user_observers(observers_file) == []
    assert obs.all_observers(observers_file) == obs.builtin_observers()


def test_hand_written_file_is_read_in_order_with_defaults(observers_file):
    observers_file.parent.mkdir(parents=True)
    observers_file.write_text(
        '[observers."My Roof"]\nlatitude_deg = 40.39\nlongitude_deg = 49.85\n'
        'elevation_m = 30\ntimezone = "Asia/Baku"\n\n'
        "[observers.Dacha]\nlatitude_deg = 41\nlongitude_deg = 48.5\n",
        encoding="utf-8",
    )
    assert obs.load_user_observers(observers_file) == [
        ROOF,
        Observer("Dacha", 41.0, 48.5, 0.0, None),
    ]
    assert [o.name for o in obs.all_observers(observers_file)][4:] == ["My Roof", "Dacha"]


BROKEN_FILES = [
    ("[observers.x\nlatitude_deg = 1", "not valid TOML"),
    ('title = "mine"\n', "unexpected top-level key 'title'"),
    ("observers = 3\n", "'observers' must be a table"),
    ("[observers]\nx = 3\n", "observer 'x' must be a table"),
    ("[observers.x]\nlatitude_deg = 1\n", "observer 'x' has no longitude_deg"),
    ("[observers.x]\nlatitude = 1\nlongitude_deg = 2\n", "unknown key 'latitude'"),
    ('[observers.x]\nlatitude_deg = "40"\nlongitude_deg = 2\n', "must be a finite number"),
    ("[observers.x]\nlatitude_deg = true\nlongitude_deg = 2\n", "must be a finite number"),
    ("[observers.x]\nlatitude_deg = 123.0\nlongitude_deg = 2\n", "got 123.0"),
    ("[observers.x]\nlatitude_deg = nan\nlongitude_deg = 2\n", "finite number"),
    ('[observers.x]\nlatitude_deg = 1\nlongitude_deg = 2\ntimezone = "Mars/X"\n', "IANA"),
    ("[observers.x]\nlatitude_deg = 1\nlongitude_deg = 2\ntimezone = 4\n", "IANA"),
    ('[observers."\\t"]\nlatitude_deg = 1\nlongitude_deg = 2\n', "observer name"),
    (
        '[observers."My Roof"]\nlatitude_deg = 1\nlongitude_deg = 2\n'
        '[observers."my-roof"]\nlatitude_deg = 1\nlongitude_deg = 2\n',
        "have the same name",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BROKEN_FILES)
def test_broken_file_gives_one_line_naming_the_file_and_is_left_alone(
    observers_file, text, problem
):
    observers_file.parent.mkdir(parents=True)
    observers_file.write_text(text, encoding="utf-8")
    before = observers_file.read_bytes()
    for action in (
        lambda: obs.load_user_observers(observers_file),
        lambda: obs.all_observers(observers_file),
        lambda: obs.add_user_observer(observers_file, ROOF),
        lambda: obs.remove_user_observer(observers_file, "x"),
    ):
        with pytest.raises(ObserverFileError) as info:
            action()
        message = str(info.value)
        assert message.startswith(f"{observers_file}: ")
        assert problem in message
        assert "in that file" in message
        assert "\n" not in message
    assert observers_file.read_bytes() == before


def test_file_that_is_not_utf8(observers_file):
    observers_file.parent.mkdir(parents=True)
    observers_file.write_bytes(b"[observers.\xff]\n")
    with pytest.raises(ObserverFileError, match="not UTF-8 text"):
        obs.load_user_observers(observers_file)


def test_unreadable_path(observers_file):
    observers_file.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(ObserverFileError, match=f"cannot read {observers_file}"):
        obs.load_user_observers(observers_file)


def test_user_observer_may_not_shadow_a_builtin_name_or_alias(observers_file):
    observers_file.parent.mkdir(parents=True)
    for name in ("BAKU", "shamakhi"):
        observers_file.write_text(
            f'[observers."{name}"]\nlatitude_deg = 1\nlongitude_deg = 2\n', encoding="utf-8"
        )
        with pytest.raises(ObserverFileError, match="name of the built-in observer"):
            obs.all_observers(observers_file)


# --- the user's file: writing -----------------------------------------------------------------


def test_add_creates_directory_and_file_and_round_trips(observers_file):
    obs.add_user_observer(observers_file, ROOF)
    second = Observer("Dacha", -12.5, -77.25, 0.0, None)
    obs.add_user_observer(observers_file, second)
    assert obs.load_user_observers(observers_file) == [ROOF, second]
    assert obs.find_observer("my roof", obs.all_observers(observers_file)) == ROOF
    text = observers_file.read_text(encoding="utf-8")
    assert '[observers."My Roof"]' in text
    assert "timezone" not in text.split('"Dacha"')[1]  # None is simply left out


@pytest.mark.parametrize(
    "name",
    [
        'Quote " inside',
        "Back\\slash",
        "C:\\new\\table",
        "[brackets] and # hash",
        "Gəncə üçün",
        "emoji 🛰 name",
        "'single' = quotes",
        "ends with backslash \\",
        "a.b.c",
    ],
)
def test_names_that_need_escaping_round_trip(observers_file, name):
    observer = Observer(name, 1.25, -2.5, 7.0, "UTC")
    obs.add_user_observer(observers_file, observer)
    assert obs.load_user_observers(observers_file) == [observer]


def test_toml_strings_escape_every_control_character():
    # Names with control characters are refused, but the quoting itself must still be exact.
    every = "".join(chr(c) for c in [*range(0x20), 0x7F]) + '"\\ x 🛰 \u2028 \ufeff'
    quoted = obs_file._toml_string(every)
    assert tomllib.loads(f"key = {quoted}")["key"] == every


@pytest.mark.parametrize("value", [0.0, -0.0, 1e-5, 40.4093, -179.99999999999997, 1e4, 12345])
def test_numbers_round_trip_exactly(observers_file, value):
    observer = Observer("N", value if abs(value) <= 90 else 0.0, 0.0, 0.0)
    text = obs.dumps_observers([observer])
    assert tomllib.loads(text)["observers"]["N"]["latitude_deg"] == observer.latitude_deg


def test_add_refuses_taken_names_and_leaves_the_file(observers_file):
    obs.add_user_observer(observers_file, ROOF)
    before = observers_file.read_bytes()
    with pytest.raises(ValueError, match=r"already exists.*remove it first"):
        obs.add_user_observer(observers_file, Observer("my-roof", 0.0, 0.0))
    for name in ("Baku", "Shamakhi", "ganja"):
        with pytest.raises(ValueError, match="name of the built-in observer"):
            obs.add_user_observer(observers_file, Observer(name, 0.0, 0.0))
    with pytest.raises(ValueError, match="IANA"):
        obs.add_user_observer(observers_file, Observer("Elsewhere", 0.0, 0.0, 0.0, "Nowhere"))
    assert observers_file.read_bytes() == before


def test_remove_takes_the_observer_out(observers_file):
    obs.add_user_observer(observers_file, ROOF)
    obs.add_user_observer(observers_file, Observer("Dacha", 41.0, 48.5))
    obs.remove_user_observer(observers_file, "MY ROOF")
    assert [o.name for o in obs.load_user_observers(observers_file)] == ["Dacha"]
    obs.remove_user_observer(observers_file, "dacha")
    assert obs.load_user_observers(observers_file) == []
    assert observers_file.exists()


def test_remove_refuses_builtins_unknown_names_and_prefixes(observers_file):
    obs.add_user_observer(observers_file, ROOF)
    before = observers_file.read_bytes()
    with pytest.raises(ValueError, match="'Shamakhi Astrophysical Observatory' is a built-in"):
        obs.remove_user_observer(observers_file, "shamakhi")
    with pytest.raises(ValueError, match="no user observer named 'My'; user observers: My Roof"):
        obs.remove_user_observer(observers_file, "My")  # no guessing when deleting
    assert observers_file.read_bytes() == before


def test_remove_from_missing_file(observers_file):
    with pytest.raises(ValueError, match=r"user observers: \(none\)"):
        obs.remove_user_observer(observers_file, "My Roof")
    assert not observers_file.exists()


def test_crash_during_write_leaves_old_file_and_no_temporary(observers_file, monkeypatch):
    obs.add_user_observer(observers_file, ROOF)
    before = observers_file.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ObserverFileError, match=r"cannot write .*No space left on device"):
        obs.add_user_observer(observers_file, Observer("Dacha", 41.0, 48.5))
    assert observers_file.read_bytes() == before
    assert sorted(p.name for p in observers_file.parent.iterdir()) == ["observers.toml"]


def test_write_keeps_file_mode_and_follows_a_symlink(tmp_path):
    real = tmp_path / "dotfiles" / "observers.toml"
    real.parent.mkdir()
    real.write_text("", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "home" / "observers.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    obs.add_user_observer(link, ROOF)
    assert link.is_symlink()
    assert obs.load_user_observers(real) == [ROOF]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_home_under_a_plain_file_is_reported(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    # the file in the way is named since sweep 15 (was "cannot read ...: Not a directory;
    # check that it is a readable file")
    with pytest.raises(ObserverFileError, match=r"not-a-dir is a file, not a directory"):
        obs.add_user_observer(blocker / "observers.toml", ROOF)


def test_directory_that_cannot_be_created(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ObserverFileError, match=r"cannot write .*: Permission denied; check"):
        obs.add_user_observer(tmp_path / "new" / "observers.toml", ROOF)


HAND_WRITTEN = """\
# My places. Keep this file in the dotfiles repository!

[observers."Home"]   # the flat
latitude_deg = 40.3777   # from the phone's GPS
longitude_deg = 49.8920
elevation_m = 20.0

# the dacha: the mast on the garage roof
[observers.Dacha]
latitude_deg = 40.55
longitude_deg = 50.05
timezone = 'Asia/Baku'
"""


def test_add_and_remove_keep_the_users_comments_and_layout(observers_file):
    """tomlkit edits the file: what the user wrote stays as written (was: rebuilt, comments
    dropped, numbers reformatted)."""
    observers_file.parent.mkdir(parents=True)
    observers_file.write_text(HAND_WRITTEN, encoding="utf-8")
    obs.add_user_observer(observers_file, ROOF)
    text = observers_file.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN)
    added = text[len(HAND_WRITTEN) :]
    assert tomllib.loads(added.replace("[observers.", "[x."))["x"]["My Roof"]["elevation_m"] == 30
    names = [o.name for o in obs.load_user_observers(observers_file)]
    assert names == ["Home", "Dacha", "My Roof"]
    obs.remove_user_observer(observers_file, "my roof")
    assert observers_file.read_text(encoding="utf-8").rstrip("\n") == HAND_WRITTEN.rstrip("\n")
    obs.remove_user_observer(observers_file, "HOME")
    text = observers_file.read_text(encoding="utf-8")
    assert text.startswith("# My places. Keep this file in the dotfiles repository!\n")
    head, _, rest = HAND_WRITTEN.partition('[observers."Home"]')
    assert text == head + rest[rest.index("# the dacha") :]
    assert [o.name for o in obs.load_user_observers(observers_file)] == ["Dacha"]
    observers_file.write_text(HAND_WRITTEN, encoding="utf-8")
    obs.remove_user_observer(observers_file, "Dacha")  # its comment above it goes with it
    text = observers_file.read_text(encoding="utf-8")
    assert text == HAND_WRITTEN[: HAND_WRITTEN.index("\n# the dacha")]


def test_removing_from_a_new_file_gives_the_new_file_without_it(observers_file):
    """Blank lines between tables: one stays wherever the removed table was."""
    places = [Observer(name, 1.0, 2.0) for name in ("A", "B", "C")]
    observers_file.parent.mkdir(parents=True)
    for gone in range(3):
        observers_file.write_text(obs.dumps_observers(places), encoding="utf-8")
        obs.remove_user_observer(observers_file, places[gone].name)
        kept = [p for n, p in enumerate(places) if n != gone]
        assert observers_file.read_text(encoding="utf-8") == obs.dumps_observers(kept)


def test_a_layout_tomlkit_cannot_edit_in_place_is_rebuilt_with_every_observer(observers_file):
    """Observers as dotted keys: the edit falls back to rewriting the file (as before tomlkit),
    checked to hold exactly the observers it should."""
    observers_file.parent.mkdir(parents=True)
    observers_file.write_text(
        "observers.A.latitude_deg = 1.0\nobservers.A.longitude_deg = 2.0\n", encoding="utf-8"
    )
    obs.add_user_observer(observers_file, ROOF)
    assert obs.load_user_observers(observers_file) == [Observer("A", 1.0, 2.0), ROOF]
    obs.remove_user_observer(observers_file, "A")
    assert obs.load_user_observers(observers_file) == [ROOF]
