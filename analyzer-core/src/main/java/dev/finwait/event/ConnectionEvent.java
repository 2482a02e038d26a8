package dev.finwait.event;

import dev.finwait.model.HalfClose;
import dev.finwait.model.Reset;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.Anomaly;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;

/**
 * What happened, as it happens, in capture-time order. Delivered to an {@link AnalysisListener} registered
 * for events; a finished connection arrives through {@link AnalysisListener#onConnection}, in order with these.
 * Every event names its connection by id (1-based, order of first packet) and 4-tuple.
 */
public sealed interface ConnectionEvent {
    /** @return the connection's id: 1-based, in the order of each connection's first packet */
    long connectionId();

    /** @return the connection's 4-tuple */
    FlowKey key();

    /** @return when it happened: capture time, nanoseconds since the epoch */
    long atNanos();

    /**
     * A new connection (new incarnation of a 4-tuple) was seen.
     *
     * @param frame  the frame of its first segment
     * @param client the client as its report will name it (the key only orders the endpoints), so that
     *               later events can be shown client first
     * @param server the server, likewise
     */
    record Opened(long connectionId, FlowKey key, long atNanos, long frame, Endpoint client, Endpoint server)
            implements ConnectionEvent {
    }

    /**
     * One side's state changed.
     *
     * @param frame    the frame that caused it
     * @param side     the side whose state changed
     * @param from     its state before
     * @param to       its state after
     * @param inferred no packet showed the change directly (see {@link dev.finwait.model.Transition})
     */
    record StateChanged(long connectionId, FlowKey key, long atNanos, long frame, Side side, TcpState from,
                        TcpState to, boolean inferred) implements ConnectionEvent {
    }

    /**
     * The first FIN of a connection while the peer still had its direction open.
     *
     * @param halfClose who closed first and when; its end is empty here and its bytes are those sent so far
     *                  (the connection's report has the final ones)
     */
    record HalfClosed(long connectionId, FlowKey key, long atNanos, HalfClose halfClose) implements ConnectionEvent {
    }

    /**
     * A RST was sent.
     *
     * @param reset who sent it, in which state, and why
     */
    record ResetSeen(long connectionId, FlowKey key, long atNanos, Reset reset) implements ConnectionEvent {
    }

    /**
     * One side entered TIME_WAIT.
     *
     * @param side       the side in TIME_WAIT
     * @param untilNanos when 2*MSL ends it, unless a later FIN restarts it or a new SYN or RST ends it early
     */
    record TimeWaitStarted(long connectionId, FlowKey key, long atNanos, Side side, long untilNanos)
            implements ConnectionEvent {
    }

    /**
     * A TIME_WAIT window ended (2*MSL passed, the 4-tuple was reused, or the capture ended).
     *
     * @param window the whole window, with what ended it
     */
    record TimeWaitEnded(long connectionId, FlowKey key, long atNanos, TimeWaitWindow window)
            implements ConnectionEvent {
    }

    /**
     * A new SYN reused the 4-tuple of an earlier connection.
     *
     * @param reuse which connection, and whether the reuse was legal
     */
    record TupleReused(long connectionId, FlowKey key, long atNanos, Reuse reuse) implements ConnectionEvent {
    }

    /**
     * Something odd in the packets (never an exception): SYN with FIN, RST out of window, ...
     *
     * @param anomaly what it was
     */
    record AnomalySeen(long connectionId, FlowKey key, long atNanos, Anomaly anomaly) implements ConnectionEvent {
    }

    /**
     * Every segment, with both sides' states after it; only emitted when the analyzer is configured
     * with {@code emitSegments} (the ladder diagram needs it; nothing else should pay for it).
     *
     * @param from           the side that sent it
     * @param segment        the segment
     * @param clientState    the client's state after it
     * @param serverState    the server's state after it
     * @param retransmission it resent sequence space its sender had already sent
     */
    record SegmentSeen(long connectionId, FlowKey key, long atNanos, Side from, Segment segment,
                       TcpState clientState, TcpState serverState, boolean retransmission) implements ConnectionEvent {
    }

}
