"""System tests of what the display shows before an infusion starts."""


def program_noradrenaline(pump, dose):
    pump.ok("load syringe=BD-P50 od=29.1")
    pump.ok("purge")
    pump.ok("drug name=Noradrenaline area=ICU-adult weight=80")
    pump.ok(f"program dose={dose} vtbi=48")


def test_confirmation_screen_shows_programme(pump, record_property):
    record_property("requirement", "SYS-005")
    record_property("requirement", "SRS-043")
    program_noradrenaline(pump, 0.1)
    assert pump.ok("review")["screen"] == [
        "Drug: Noradrenaline",
        "Concentration: 4 mg in 50 mL (0.08 mg/mL)",
        "Dose: 0.1 mcg/kg/min",
        "Weight: 80 kg",
        "Rate: 6 mL/h",
        "Volume to infuse: 48 mL",
    ]


# Verifies: SRS-043
def test_changed_programme_invalidates_confirmation(pump):
    program_noradrenaline(pump, 0.1)
    token = pump.ok("review")["token"]
    pump.ok("program dose=0.2 vtbi=48")  # edited after the screen was confirmed
    refused = pump.send(f"start token={token}")
    assert not refused["ok"] and "changed after it was confirmed" in refused["error"]
    token = pump.ok("review")["token"]
    pump.ok(f"start token={token}")
    assert pump.status()["rate"] == "12 mL/h"
