"""Bolus limit tests for tracegate's pytest fixture (record_property as Ketryx documents it)."""

import pytest


def max_bolus(weight_kg):
    return round(weight_kg * 0.1, 2)


def test_bolus_limit_adult(record_property):
    record_property("tested-item-id", "SRS-012")
    assert max_bolus(70) == 7.0


def test_bolus_limit_child(record_property):
    record_property("tested-item-id", "TC-012")
    assert max_bolus(20) == 2.5


@pytest.mark.skip(reason="pump hardware not attached")
def test_bolus_limit_on_device(record_property):
    record_property("tested-item-id", "SRS-012")


class TestRateLimit:
    def test_rate_rejected(self, record_property):
        record_property("tested-item-id", "SRS-010, SRS-012")
        assert max_bolus(10) == 1.0
