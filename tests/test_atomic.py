"""Files written whole or not at all (`passpredict.output.atomic`)."""

import stat

import pytest

from passpredict.output.atomic import replace_atomically, write_text_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "sky.png"
    target.write_bytes(b"old picture")

    def half_then_fail(temporary: str) -> None:
        with open(temporary, "wb") as out:
            out.write(b"half a pic")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, half_then_fail, suffix=".png")
    assert target.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sky.png"]


def test_a_written_file_has_the_mode_a_plain_one_would(tmp_path):
    target = tmp_path / "track.geojson"
    write_text_atomically(target, '{"type": "FeatureCollection"}\n')
    assert target.read_text(encoding="utf-8") == '{"type": "FeatureCollection"}\n'
    plain = tmp_path / "plain"
    with open(plain, "w", encoding="utf-8"):
        pass
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain", "track.geojson"]
