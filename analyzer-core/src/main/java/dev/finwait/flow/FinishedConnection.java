package dev.finwait.flow;

import dev.finwait.compat.CompletenessTracker;
import dev.finwait.compat.ZeekConnTracker;
import dev.finwait.state.ConnectionTracker;

/**
 * An incarnation nothing more can happen to, ready to be judged: its state machines, the observers
 * that ran beside them, and the capture time at which it finished. None of it is touched again by
 * the analysis, so it may be judged on another thread.
 *
 * @param tracker       both sides' state machines and what they recorded
 * @param zeek          Zeek's view of the same packets ({@code conn_state}, {@code history})
 * @param completeness  Wireshark's view ({@code tcp.completeness})
 * @param finishedNanos capture time at which nothing more could happen to it
 */
public record FinishedConnection(ConnectionTracker tracker, ZeekConnTracker zeek, CompletenessTracker completeness,
                                 long finishedNanos) {
}
