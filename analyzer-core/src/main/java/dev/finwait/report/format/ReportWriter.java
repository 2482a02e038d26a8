package dev.finwait.report.format;

import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Interim;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;

/**
 * Writes an analysis as it streams: connections as they finish, then the totals. Implementations
 * write to a buffered {@link java.io.Writer} and flush in {@link #end}; nothing is kept per connection
 * unless the format needs it (the ladder keeps the segments of connections it will draw).
 */
public interface ReportWriter {
    /** Every event, in capture order (most formats ignore them). */
    default void event(ConnectionEvent event) {
    }

    /** Whether {@link #event} does anything; a writer that overrides it says so here (else events are not built). */
    default boolean wantsEvents() {
        return false;
    }

    /** A connection, once: when it finished, or (live, {@code --emit close}) when its outcome was known. */
    void connection(ConnectionReport report);

    /**
     * A connection already written (at its outcome, live) that a later packet changed: a reuse of its
     * 4-tuple inside TIME_WAIT, a FIN retransmitted into TIME_WAIT (its end moves), a RST or other late
     * segments. Written as a record of its own: the whole final report again. Not counted twice.
     */
    default void update(ConnectionReport report) {
        connection(report);
    }

    /** A connection the selection left out: a writer that kept its segments forgets them. */
    default void discard(long connectionId) {
    }

    /** The per-service and per-host diagnosis, once, after the last connection and before {@link #end}. */
    default void diagnosis(DiagnosisResult diagnosis) {
    }

    /**
     * A live capture's summary so far ({@code --summary-every}), between connections; the formats
     * that carry the diagnosis write it, clearly marked, and go on.
     */
    default void interim(Interim soFar) {
    }

    /** The totals, last; the writer flushes here. */
    void end(CaptureSummary summary);
}
