"""System tests of continuous infusion and programming limits."""

from conftest import start_infusion


def test_rate_accuracy_over_one_hour(pump, record_property):
    record_property("requirement", "SYS-001")
    record_property("requirement", "SRS-001")
    start_infusion(pump, dose=4)  # morphine 4 mg/h at 1 mg/mL: 4 mL/h
    pump.ok("tick s=3600")
    status = pump.status()
    assert status["state"] == "running"
    # The plunger travel counted by the encoder is the delivered volume:
    # IEC 60601-2-24 accuracy of ±2 % over the first hour.
    assert abs(status["plunger_ml"] - 4.0) <= 0.02 * 4.0
    assert abs(status["delivered_ml"] - 4.0) <= 0.02 * 4.0


# Verifies: SRS-002
def test_rate_outside_mechanism_range_rejected(pump):
    pump.ok("load syringe=BD-P50 od=29.1")
    pump.ok("drug name=Basic_mL/h")
    for rate in (1250, 1200.5, 0.05, 0):
        reply = pump.send(f"program dose={rate}")
        assert not reply["ok"], f"{rate} mL/h was accepted"
        assert "range" in reply["error"] or "not a positive" in reply["error"]
    assert pump.ok("program dose=0.1")["rate"] == "0.1 mL/h"
    assert pump.ok("program dose=1200")["rate"] == "1200 mL/h"


def test_hard_limit_blocks_programme(pump, record_property):
    record_property("requirement", "SYS-008")
    record_property("requirement", "SRS-003")
    pump.ok("load syringe=BD-P50 od=29.1")
    pump.ok("drug name=Noradrenaline area=ICU-adult weight=80")
    reply = pump.send("program dose=1.5")  # tenfold the usual 0.15 mcg/kg/min
    assert not reply["ok"]
    assert reply["verdict"] == "rejected"
    assert "hard limit of 1 mcg/kg/min" in reply["error"]
    token = pump.ok("review")["token"]
    assert not pump.send(f"start token={token}")["ok"]
    assert pump.status()["state"] == "stopped"


# Verifies: SRS-004
def test_soft_limit_requires_confirmation(pump):
    pump.ok("load syringe=BD-P50 od=29.1")
    pump.ok("purge")
    pump.ok("drug name=Morphine area=ICU-adult")
    assert pump.ok("program dose=12")["verdict"] == "needs-confirmation"
    review = pump.ok("review")
    assert review["screen"][-1].startswith("ABOVE SOFT LIMIT: 12 mg/h exceeds the soft limit of 10 mg/h")
    refused = pump.send(f"start token={review['token']}")
    assert not refused["ok"] and "confirm the dose" in refused["error"]
    pump.ok("confirm-soft-limit")
    pump.ok(f"start token={review['token']}")
    assert pump.status()["rate"] == "12 mL/h"


# Verifies: SRS-009, SYS-008
def test_stale_library_falls_back_to_basic_mode(start_pump):
    pump = start_pump("-library-version", "ICU-2024.1")  # update replaced the software, not the library
    assert pump.status()["library"].startswith("basic mode: drug library ICU-2024.1 does not belong")
    refused = pump.send("drug name=Morphine area=ICU-adult")
    assert not refused["ok"] and "only Basic mL/h" in refused["error"]
    pump.ok("drug name=Basic_mL/h")
    assert any(e.startswith("boot software 2.3.0, basic mode") for e in pump.events())


def test_wrong_syringe_refused(pump, record_property):
    record_property("requirement", "SYS-009")
    record_property("requirement", "SRS-012")
    reply = pump.send("load syringe=BD-P50 od=31.0")  # an Omnifix 50 mL is in the clamp
    assert not reply["ok"]
    assert "check the syringe selection" in reply["error"]
    pump.ok("drug name=Basic_mL/h")
    pump.ok("program dose=5")
    token = pump.ok("review")["token"]
    refused = pump.send(f"start token={token}")
    assert not refused["ok"] and "no verified syringe" in refused["error"]


# Verifies: SRS-045
def test_purge_prompt_before_first_start(pump):
    pump.ok("load syringe=BD-P50 od=29.1")
    pump.ok("drug name=Basic_mL/h")
    pump.ok("program dose=5")
    token = pump.ok("review")["token"]
    refused = pump.send(f"start token={token}")
    assert not refused["ok"] and refused["error"].startswith("purge the line before starting")
    pump.ok("purge")
    pump.ok(f"start token={token}")
