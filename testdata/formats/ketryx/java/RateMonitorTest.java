package com.example.pump;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

public class RateMonitorTest {
    /**
     * Tests that the safety processor stops the pump on a rate deviation.
     * @tests:SDS-010
     * @itemTitle:"Test rate monitor stop (Java)"
     */
    @Test
    public void stopsOnDeviation() {
        assertTrue(RateMonitor.stops(1.06));
    }

    /**
     * Not a Ketryx tag: @tests alone, with no colon, names nothing.
     */
    @Test
    public void keepsRunningWithinTolerance() {
        assertTrue(!RateMonitor.stops(1.04));
    }
}
