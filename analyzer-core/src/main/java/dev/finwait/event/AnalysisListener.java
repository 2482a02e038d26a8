package dev.finwait.event;

import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.InputError;
import java.util.function.Consumer;

/**
 * Receives the analysis as it streams, JFR-style: every method has a no-op default, so a listener
 * overrides what it wants. Called on one thread at a time, in order.
 *
 * <p>{@link #onEvent} is called only for a listener registered for events
 * ({@code Analyzer.builder(config).eventListener(l)}): that registration is what makes the engine
 * build the per-segment event objects at all. A listener registered with {@code listener(l)} gets
 * connections, the input error and the end, and costs nothing per packet.
 */
public interface AnalysisListener {
    /** A connection is finished: nothing more can happen to it. In order of finishing. */
    default void onConnection(ConnectionReport report) {
    }

    /**
     * A connection's outcome is known: both sides closed, reset or in TIME_WAIT (only for a listener
     * registered with {@code outcomeListener}). Its report as it stands, TIME_WAIT windows still open
     * {@code SCHEDULED}; {@link #onConnection} follows with the final report once nothing more can
     * happen to it (after TIME_WAIT, or at the end of the input). Live capture writes connections here,
     * as soon as they close.
     */
    default void onOutcome(ConnectionReport report) {
    }

    /** Something happened, in capture-time order (only for a listener registered for events). */
    default void onEvent(ConnectionEvent event) {
    }

    /** The input ended early or was corrupt; everything before it is analyzed and still reported. */
    default void onError(InputError error) {
    }

    /** The analysis is over: the totals. Called once, after every connection. */
    default void onEnd(CaptureSummary summary) {
    }

    /** Receives nothing. */
    AnalysisListener NONE = new AnalysisListener() {
    };

    /** A listener that takes finished connections only. */
    static AnalysisListener onConnections(Consumer<ConnectionReport> action) {
        return new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport report) {
                action.accept(report);
            }
        };
    }
}
