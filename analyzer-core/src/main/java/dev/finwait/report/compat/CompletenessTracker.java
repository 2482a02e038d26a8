package dev.finwait.report.compat;

import dev.finwait.tcp.Segment;

/** Wireshark's {@code tcp.completeness} bitmask for one connection. Fed every segment in capture order. */
public final class CompletenessTracker {
    public void observe(Segment segment) {
        throw new IllegalStateException("CompletenessTracker lands with the oracle work");
    }

    public int value() {
        throw new IllegalStateException("CompletenessTracker lands with the oracle work");
    }
}
