"""System tests of bolus delivery."""

from conftest import start_infusion


def test_bolus_above_maximum_rejected(pump, record_property):
    record_property("requirement", "SYS-002")
    record_property("requirement", "SRS-005")
    start_infusion(pump, dose=4)
    refused = pump.send("bolus ml=2.5")
    assert not refused["ok"]
    assert "outside 0 to 2 mL" in refused["error"]
    pump.ok("bolus ml=2")
    pump.ok("tick s=60")
    # 2 mL at 300 mL/h takes 24 s; the rest of the minute runs at 4 mL/h.
    assert abs(pump.status()["delivered_ml"] - (2 + 4 * 36 / 3600)) < 0.01


def test_bolus_counts_towards_hourly_limit(pump, record_property):
    record_property("requirement", "SRS-006")
    start_infusion(pump, dose=10)  # morphine 10 mL/h; hourly limit 25 mL
    pump.ok("tick s=3600")
    accepted = 0
    while True:
        reply = pump.send("bolus ml=2")
        if not reply["ok"]:
            break
        accepted += 1
        pump.ok("tick s=60")
        assert accepted < 20, "hourly limit never reached"
    assert "exceed the hourly limit of 25 mL" in reply["error"]
    # 10 mL of basal in the hour plus 2 mL per bolus: the 8th bolus would pass 25 mL.
    assert accepted == 7
