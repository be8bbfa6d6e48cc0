"""Read TLE text (3LE or 2LE): group its lines into sets and validate each one.

A set is an optional name line, then line 1, then line 2; names with or without the ``0 ``
prefix, blank lines and any line ending are fine. Each problem is reported on its own line
(``line N``): a missing or stray line, a line's layout or checksum (`tle_cache.tle_columns`),
a field out of range or a set SGP4 cannot use (`tle_cache.element_checks`), and TLE lines that
SGP4's own reader takes differently from their columns. Names are cleaned where they enter
(`tle_cache.names.clean_name`).

A long text's sets in CelesTrak's exact layout are read by `tle_cache.tle_fast` (a clean 3LE
file's records matched whole, one by one); whatever it is not sure of comes here, so the sets
and the errors are the same either way.
"""

from __future__ import annotations

import math
from datetime import datetime

from tle_cache.element_checks import check_now, check_propagates, check_ranges
from tle_cache.elements import OMM_KEYS, ElementSet
from tle_cache.names import clean_name
from tle_cache.parse_errors import ElementParseError, FieldError, unexpected
from tle_cache.sniff import split_lines
from tle_cache.tle_columns import (
    TLE_FIELD_LABELS,
    TLE_LINE1_KEYS,
    Line,
    check_tle_line,
    tle_fields,
    tle_label,
)
from tle_cache.tle_fast import clean_record_pattern, fast_record_set, fast_tle_set

#: Texts this long and longer are read by the fast paths (`tle_cache.tle_fast`), shorter ones
#: by the checked path alone: ~130 sets of 3LE, where ~20 us saved a set repay ~3 ms of
#: compiling the fast patterns.
FAST_PATH_MIN_CHARACTERS = 20_000


def parse_tle_text(
    text: str, source: str, now_utc: datetime | None
) -> tuple[list[ElementSet], list[ElementParseError]]:
    """Group the lines into (name?, line 1, line 2) records and validate each.

    A set in the strict layout nearly every set has is read in one go (`tle_cache.tle_fast`);
    any other, or one that fails a check, on the checked path, which gives the same set or
    its error.
    """
    sets: list[ElementSet] = []
    errors: list[ElementParseError] = []
    # the fast paths for texts of some hundred sets and more, where they repay compiling
    # their patterns (~3 ms); the bundled sets every store open reads take the checked path
    fast = len(text) >= FAST_PATH_MIN_CHARACTERS
    position = line_count = 0
    if fast:
        position, line_count = _read_clean_records(text, source, now_utc, sets, errors)
    # The rest line by line, numbered on from the clean records (which hold no blank line;
    # a line is blank when its right-stripped text is empty).
    lines = [
        (n, kept)
        for n, s in enumerate(split_lines(text[position:]), line_count + 1)
        if (kept := s.rstrip())
    ]

    def fail(line_number: int, problem: str) -> None:
        errors.append(ElementParseError(problem, source=source, line_number=line_number))

    def is_line(index: int, number: int) -> bool:
        # A line that starts "1 " / "2 ", or a long line (no name is 64 characters) in the
        # place of one, so that a corrupted column 1 is reported on its own line.
        if index >= len(lines):
            return False
        content = lines[index][1]
        if content.startswith(f"{number} "):
            return True
        other = "2 " if number == 1 else "1 "
        return len(content) >= 64 and not content.startswith(other)

    def is_line1(index: int) -> bool:
        return lines[index][1].startswith("1 ") or (
            len(lines[index][1]) >= 64 and index + 1 < len(lines) and is_line(index + 1, 2)
        )

    count = len(lines)
    i = 0
    while i < count:
        # The common case first: a short name line (or none), line 1, line 2, in the strict
        # layout; the grouping below would group them the same way.
        content = lines[i][1]
        if not fast:
            pass  # the checked path below
        elif content.startswith("1 "):
            if i + 1 < count and lines[i + 1][1].startswith("2 "):
                element_set = fast_tle_set(None, content, lines[i + 1][1], source, now_utc)
                if element_set is not None:
                    sets.append(element_set)
                    i += 2
                    continue
        elif (
            i + 2 < count
            and len(content) < 64
            and not content.startswith("2 ")
            and lines[i + 1][1].startswith("1 ")
            and lines[i + 2][1].startswith("2 ")
        ):
            element_set = fast_tle_set(content, lines[i + 1][1], lines[i + 2][1], source, now_utc)
            if element_set is not None:
                sets.append(element_set)
                i += 3
                continue
        name: Line | None = None
        if lines[i][1].startswith("2 "):
            fail(
                lines[i][0],
                "TLE line 2 without a line 1 before it; a set is an optional name "
                "line, then line 1, then line 2",
            )
            i += 1
            continue
        if not is_line1(i):
            name = lines[i]
            i += 1
            if i == len(lines):
                fail(
                    name[0],
                    f"name line {name[1]!r} is the last line: its two TLE lines are "
                    "missing (was the text cut off?)",
                )
                break
            if not is_line1(i):
                if lines[i][1].startswith("2 "):
                    fail(
                        lines[i][0],
                        f"TLE line 2 follows name line {name[1]!r} without a line 1 between them",
                    )
                    i += 1
                else:
                    fail(
                        name[0],
                        f"name line {name[1]!r} is not followed by a TLE line 1 "
                        f"(line {lines[i][0]} starts {lines[i][1][:20]!r})",
                    )
                continue
        line1 = lines[i]
        i += 1
        if not is_line(i, 2):
            try:
                check_tle_line(1, line1)
            except FieldError as exc:
                fail(line1[0], exc.problem)
            else:
                where = "is the last line" if i == len(lines) else "is not followed by a line 2"
                fail(line1[0], f"TLE line 1 {where}: line 2 is missing (was the text cut off?)")
            continue
        line2 = lines[i]
        i += 1
        try:
            sets.append(_tle_set(name, line1, line2, source, now_utc))
        except ElementParseError as exc:
            errors.append(exc)
    return sets, errors


def _read_clean_records(
    text: str,
    source: str,
    now_utc: datetime | None,
    sets: list[ElementSet],
    errors: list[ElementParseError],
) -> tuple[int, int]:
    """Read the records of a clean 3LE file from its start, up to the first one that is not.

    A clean record is a name line (not blank, shorter than 64 characters, not starting
    ``1 `` or ``2 ``), then line 1 and line 2 in the strict layouts (`clean_record_pattern`): the
    line-by-line grouping makes the same (name, line 1, line 2) of those three lines, and
    starts afresh after them, so the lines after the last clean record are read line by line
    as if from the start. Each record's set comes from the fast path, else the checked one.
    Return the position in `text` after the last clean record and how many lines that is.
    """
    position = line_count = 0
    end = len(text)
    match_at = clean_record_pattern().match
    while position < end:
        match = match_at(text, position)
        if match is None:
            break
        groups = match.groups()
        name = groups[0].rstrip()
        if not name or len(name) >= 64 or name.startswith(("1 ", "2 ")):
            break
        element_set = fast_record_set(name, groups, source, now_utc)
        if element_set is None:
            numbered = (line_count + 1, name), (line_count + 2, groups[1])
            try:
                element_set = _tle_set(*numbered, (line_count + 3, groups[18]), source, now_utc)
            except ElementParseError as exc:
                errors.append(exc)
        if element_set is not None:
            sets.append(element_set)
        position = match.end()
        line_count += 3
    return position, line_count


def parse_tle_lines(
    line1: str,
    line2: str,
    name: str | None = None,
    source: str = "",
    *,
    now_utc: datetime | None = None,
) -> ElementSet:
    """Validate one TLE (two lines and an optional name) and return its `ElementSet`.

    Errors say ``line 1`` / ``line 2`` (``line 0`` for the name) of this set.
    """
    check_now(now_utc)
    kept_name = None if name is None else name.rstrip()
    line1, line2 = line1.rstrip(), line2.rstrip()
    fast = fast_tle_set(kept_name, line1, line2, source, now_utc)  # the same set, or None
    if fast is not None:
        return fast
    numbered_name = None if kept_name is None else (0, kept_name)
    return _tle_set(numbered_name, (1, line1), (2, line2), source, now_utc)


def _tle_set(
    name: Line | None, line1: Line, line2: Line, source: str, now_utc: datetime | None
) -> ElementSet:
    """Validate one TLE record and build its `ElementSet`, OMM fields computed from the lines."""
    try:
        check_tle_line(1, line1)
        check_tle_line(2, line2)
        omm = tle_fields(line1, line2)
        epoch = omm.pop("_epoch")
        line_of = {key: line1[0] for key in TLE_LINE1_KEYS}
        check_ranges(omm, epoch, now_utc, tle_label, line_of, line2[0])
        if name is not None:
            object_name = clean_name(name[1])
            object_name = object_name[2:].strip() if object_name.startswith("0 ") else object_name
        else:
            object_name = ""
        omm["OBJECT_NAME"] = object_name or "UNKNOWN"
        omm = {key: omm[key] for key in OMM_KEYS}
        element_set = ElementSet(
            norad_id=omm["NORAD_CAT_ID"],
            name=omm["OBJECT_NAME"],
            epoch_utc=epoch,
            omm=omm,
            tle_lines=(line1[1], line2[1]),
            source=source,
        )
        check_propagates(element_set, line1[0])
        _check_sgp4_reads_the_same(element_set, line1[0], line2[0])
    except FieldError as exc:
        raise ElementParseError(exc.problem, source=source, line_number=exc.line_number) from None
    except Exception as exc:  # whatever else a hostile line raises is this record's error
        raise ElementParseError(unexpected(exc), source=source, line_number=line1[0]) from None
    return element_set


# What SGP4's own TLE reader (sgp4's C++ twoline2rv, which reads numbers with sscanf and so
# skips spaces wherever they are) makes of each field, against the value our column reader
# took, with the tolerance of the field's printed digits. Found by the fuzz (issue 16): a
# mean motion field of blanks and '1.0' whose digits run on into the revolution number read
# as 1.0 rev/day here and 1.048853 in SGP4, 1,160 km apart at the epoch.
_SGP4_FIELDS = (
    ("MEAN_MOTION", "no_kozai", 2 * math.pi / 1440.0, 1e-8),
    ("INCLINATION", "inclo", math.pi / 180.0, 1e-4),
    ("RA_OF_ASC_NODE", "nodeo", math.pi / 180.0, 1e-4),
    ("ARG_OF_PERICENTER", "argpo", math.pi / 180.0, 1e-4),
    ("MEAN_ANOMALY", "mo", math.pi / 180.0, 1e-4),
    ("ECCENTRICITY", "ecco", 1.0, 1e-7),
    ("BSTAR", "bstar", 1.0, 1e-9),
)


def _check_sgp4_reads_the_same(
    element_set: ElementSet, line1_number: int, line2_number: int
) -> None:
    """Refuse TLE lines that SGP4's reader takes differently from their columns (`FieldError`).

    The propagated model comes from the lines themselves (`ElementSet.satrec`), the stored OMM
    fields from our column reader; a layout where the two part (digits shifted across a
    field's columns) would make every prediction disagree with the stored set.
    """
    sat = element_set.satrec()
    for key, attribute, to_model, digits in _SGP4_FIELDS:
        ours = element_set.omm[key]
        theirs = getattr(sat, attribute) / to_model
        if not abs(theirs - ours) <= digits * max(1.0, abs(ours)) * 0.5 + 1e-12:
            line = line2_number if TLE_FIELD_LABELS[key][0] == 2 else line1_number
            raise FieldError(
                f"{tle_label(key)} reads as {ours:g} from its columns but SGP4 reads the line "
                f"as {theirs:g}: the field's digits are shifted out of their columns; fetch the "
                "set again or fix the layout",
                line,
            )
