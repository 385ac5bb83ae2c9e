"""Fixtures of the SP-1 software system tests.

The tests drive the software-in-the-loop simulator (src/cmd/pumpsim): the
device's software items wired to simulated hardware. The simulator is built
once per session with the Go toolchain; every test gets a fresh pump with its
own event-log partition.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="session")
def pumpsim(tmp_path_factory):
    go = shutil.which("go")
    if go is None:
        pytest.skip("Go toolchain not found: cannot build the simulator")
    exe = tmp_path_factory.mktemp("bin") / "pumpsim"
    subprocess.run([go, "build", "-o", str(exe), "./cmd/pumpsim"], cwd=SRC, check=True)
    return exe


class Pump:
    """One simulated pump: send a command, get its JSON reply."""

    def __init__(self, exe, log, *flags):
        self.proc = subprocess.Popen(
            [str(exe), "-log", str(log), *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, f"simulator exited on {line!r}"
        return json.loads(answer)

    def ok(self, line):
        reply = self.send(line)
        assert reply["ok"], f"{line!r}: {reply.get('error')}"
        return reply

    def status(self):
        return self.ok("status")

    def events(self):
        return [f"{r['kind']} {r['payload']}" for r in self.ok("log")["records"]]

    def close(self):
        if self.proc.poll() is None:
            self.send("quit")
        self.proc.wait(timeout=10)


@pytest.fixture
def start_pump(pumpsim, tmp_path):
    """Return a function that powers up a pump; all are powered off after the test."""
    pumps = []

    def start(*flags):
        pump = Pump(pumpsim, tmp_path / "events.bin", *flags)
        pumps.append(pump)
        return pump

    yield start
    for pump in pumps:
        pump.close()


@pytest.fixture
def pump(start_pump):
    return start_pump()


def start_infusion(pump, drug="Morphine", area="ICU-adult", dose=4, vtbi=None, weight=None, syringe="BD-P50", od=29.1):
    """Load a syringe, purge, program and start, as a nurse would."""
    pump.ok(f"load syringe={syringe} od={od}")
    pump.ok("purge")
    line = f"drug name={drug.replace(' ', '_')} area={area}"
    if weight is not None:
        line += f" weight={weight}"
    pump.ok(line)
    program = f"program dose={dose}"
    if vtbi is not None:
        program += f" vtbi={vtbi}"
    pump.ok(program)
    token = pump.ok("review")["token"]
    pump.ok(f"start token={token}")
    assert pump.status()["state"] == "running"
