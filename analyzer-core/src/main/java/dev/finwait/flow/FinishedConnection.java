package dev.finwait.flow;

import dev.finwait.compat.CompletenessTracker;
import dev.finwait.compat.ZeekConnTracker;
import dev.finwait.state.ConnectionTracker;

/**
 * An incarnation nothing more can happen to, ready to be judged: its state machines, the observers
 * that ran beside them, and the capture time at which it finished. None of it is touched again by
 * the analysis, so it may be judged on another thread.
 */
public record FinishedConnection(ConnectionTracker tracker, ZeekConnTracker zeek, CompletenessTracker completeness,
                                 long finishedNanos) {
}
