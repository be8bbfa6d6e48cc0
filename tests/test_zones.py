"""The IANA zone of a place, for observers given by coordinates: a dozen cities and borders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from passpredict.inputs.zones import zone_at

#: Places and the zone their clocks follow (the IANA database's own assignment: e.g. Tromsø
#: keeps Norway's time, Europe/Oslo; Quito keeps Ecuador's, America/Guayaquil).
CITIES = [
    ("Baku", 40.4093, 49.8671, "Asia/Baku"),
    ("Nakhchivan (exclave of Azerbaijan)", 39.2089, 45.4122, "Asia/Baku"),
    ("Tromsø", 69.6492, 18.9553, "Europe/Oslo"),
    ("Quito", -0.1807, -78.4678, "America/Guayaquil"),
    ("Kathmandu", 27.7172, 85.3240, "Asia/Kathmandu"),
    ("Adelaide", -34.9285, 138.6007, "Australia/Adelaide"),
    ("Hyderabad", 17.3850, 78.4867, "Asia/Kolkata"),
    ("Kiritimati", 1.87, -157.43, "Pacific/Kiritimati"),
    ("Longyearbyen", 78.2232, 15.6267, "Arctic/Longyearbyen"),
    # Border pairs: a few km apart, different zones.
    ("Astara, Azerbaijan", 38.4561, 48.8743, "Asia/Baku"),
    ("Astara, Iran", 38.4225, 48.8722, "Asia/Tehran"),
    ("San Diego", 32.7157, -117.1611, "America/Los_Angeles"),
    ("Tijuana", 32.5149, -117.0382, "America/Tijuana"),
    ("Baarle-Hertog (Belgian enclave)", 51.4406, 4.9348, "Europe/Brussels"),
    ("Baarle-Nassau (Netherlands)", 51.4475, 4.9289, "Europe/Amsterdam"),
]


@pytest.mark.parametrize(("place", "lat", "lon", "zone"), CITIES, ids=[c[0] for c in CITIES])
def test_zone_of_a_city(place, lat, lon, zone):
    assert zone_at(lat, lon) == zone


def test_open_ocean_gets_the_nautical_zone():
    # Mid-Atlantic at 40W: nautical zone -3 h, which IANA writes Etc/GMT+3 (sign inverted).
    zone = zone_at(30.0, -40.0)
    assert zone == "Etc/GMT+3"
    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert noon.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=-3)


def test_kathmandu_is_five_hours_forty_five_minutes_ahead():
    zone = zone_at(27.7172, 85.3240)
    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert noon.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=5, minutes=45)


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 180.5), (float("nan"), 0.0)])
def test_out_of_range_coordinates_are_refused(lat, lon):
    with pytest.raises(ValueError, match="must be between"):
        zone_at(lat, lon)
