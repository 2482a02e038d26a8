package dev.finwait.report.compat;

import dev.finwait.report.ZeekSummary;
import dev.finwait.tcp.Segment;

/**
 * Follows one connection the way Zeek's TCP analyzer does, to print Zeek's {@code conn_state}
 * and {@code history}. Fed every segment of the connection in capture order.
 */
public final class ZeekConnTracker {
    public void observe(Segment segment) {
        throw new IllegalStateException("ZeekConnTracker lands with the oracle work");
    }

    public ZeekSummary summary() {
        throw new IllegalStateException("ZeekConnTracker lands with the oracle work");
    }
}
