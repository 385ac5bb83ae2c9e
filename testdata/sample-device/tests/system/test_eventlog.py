"""System tests of the event history across power loss."""

from conftest import start_infusion


def test_log_recovers_after_torn_write(start_pump, tmp_path, record_property):
    record_property("requirement", "SYS-006")
    record_property("requirement", "SRS-064")
    pump = start_pump()
    start_infusion(pump, dose=4)
    pump.ok("stop")
    before = pump.events()
    pump.close()

    # Power lost while the last record was being written: its last 7 bytes never reached flash.
    log = tmp_path / "events.bin"
    log.write_bytes(log.read_bytes()[:-7])

    pump = start_pump()
    after = pump.ok("log")
    events = [f"{r['kind']} {r['payload']}" for r in after["records"]]
    assert events[: len(before) - 1] == before[:-1], "a complete record was lost"
    assert events[len(before) - 1].startswith("recovered offset ")
    assert "torn-tail" in events[len(before) - 1]
    assert events[len(before)].startswith("boot software 2.3.0")
    assert after["problems"] == []
    seqs = [r["seq"] for r in after["records"]]
    assert seqs == list(range(1, len(seqs) + 1))
