"""System tests of downstream occlusion detection."""

import pytest

from conftest import start_infusion


def occlude(pump):
    start_infusion(pump, dose=5)
    pump.ok("tick s=60")
    pump.ok("pressure mmhg=650")  # occlusion threshold: medium, 500 mmHg


def test_occlusion_alarm_within_two_samples(pump, record_property):
    record_property("requirement", "SYS-003")
    record_property("requirement", "SRS-020")
    occlude(pump)
    pump.ok("tick s=0.1")
    assert pump.status()["alarms"] == [], "one sample above the threshold is not yet an occlusion"
    pump.ok("tick s=0.1")
    status = pump.status()
    assert (status["alarm"], status["priority"], status["audible"]) == ("occlusion", "high", True)
    assert status["state"] == "inhibited"
    assert status["rate_mlh"] == 0


# Verifies: SRS-029
def test_pressure_relieved_after_occlusion(pump):
    occlude(pump)
    pump.ok("tick s=5")
    status = pump.status()
    assert 0 < status["relieved_ml"] <= 0.3
    assert status["pressure_mmhg"] <= 100
    assert any(e.startswith("stop pressure relieved: plunger backed off 0.28 mL") for e in pump.events())


# Verifies: SRS-021
def test_occlusion_alarm_latches_until_acknowledged(pump):
    occlude(pump)
    pump.ok("tick s=1")
    pump.ok("pressure mmhg=40")  # the kinked line was straightened
    pump.ok("tick s=10")
    status = pump.status()
    assert status["alarm"] == "occlusion", "alarm ended with its condition, before anyone saw it"
    pump.ok("ack")
    status = pump.status()
    assert status["alarms"] == []
    assert status["state"] == "stopped", "acknowledging must not restart the infusion"


# The requirement ID is in each case's name: tracegate links these by name.
@pytest.mark.parametrize(
    "reading",
    [pytest.param(1600, id="SRS-022-above-range"), pytest.param(-60, id="SRS-022-below-range")],
)
def test_pressure_sensor_fault_stops_infusion(pump, reading):
    start_infusion(pump, dose=5)
    pump.ok(f"pressure mmhg={reading}")
    pump.ok("tick s=0.1")
    status = pump.status()
    assert (status["alarm"], status["priority"]) == ("pressure-sensor-fault", "high")
    assert status["state"] == "inhibited"
