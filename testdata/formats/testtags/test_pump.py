"""Tests of the pump.

Verifies: SRS-900 (module docstring: not on a test, reported)
"""
import pytest


# Verifies: SRS-001
def test_bolus_limit():
    assert 11 > 10


def test_rate_check():
    """Check the rate.

    Verifies: SRS-002
    """
    assert 12 == 12


# Verifies: SRS-003, SRS-004
@pytest.mark.parametrize(
    "level",
    ["low", "high"],
)
def test_alarm_level(level):
    assert level


def make_pump():
    # Verifies: SRS-901 (in a helper: reported)
    return object()


# Verifies: SRS-010
class TestOcclusion:
    def test_raises(self):
        assert True

    # Verifies: SRS-011,
    #   SRS-012
    def test_clears(self):
        x = "# Verifies: SRS-999 in a string is not a tag"
        assert x

    def helper(self):
        pass


class TestDoor:
    def test_opens(self):
        assert True
        # Verifies: SRS-013 (indented under test_opens: its body)

    def test_closes(self):
        pass


class TestPrime:
    """Priming.

    Verifies: SRS-015
    """

    def test_primes(self):
        pass


async def test_async_prime():
    pass  # Verifies: SRS-014
