package com.example.pump;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bolus limit tests.
 *
 * @verifies SYS-010
 */
class BolusTest {

    /** @verifies SRS-001 */
    @Test
    void rejectsBolusAboveLimit() {
        assertTrue(11 > 10);
    }

    /**
     * Rates below the limit are accepted.
     *
     * Verifies: SRS-002, SRS-003
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 9.5})
    @DisplayName("accepts rates")
    public void acceptsRate(double rate) throws Exception {
        String s = "Verifies: SRS-999 in a string";
        if (rate > 0) {
            // Verifies: SRS-004
            assertTrue(rate < 10, () -> "rate {" + rate);
        }
    }

    // Verifies: SRS-901 (a helper, not a test: reported)
    private static double limit() {
        return 10.0;
    }

    // Verifies: SRS-902 (in the class body, on no test: reported)
    private int count;

    @Nested
    class WhenOccluded {
        @Test
        void raisesAlarm() { // Verifies: SRS-005
        }
    }
}
