package dev.finwait.model;

import dev.finwait.tcp.Endpoint;
import java.util.List;
import java.util.Optional;

/**
 * The immutable verdict on one incarnation of a 4-tuple. {@code id} is 1-based in order of first
 * packet (or as the analysis numbers them). Everything here is derived from the packets; times are
 * capture times in epoch nanoseconds. {@code firstFrame} is the frame number of the connection's first
 * segment; {@code finishedNanos} the capture time at which nothing more could happen to it (its last
 * TIME_WAIT over, the idle timeout, a new incarnation, or the end of the capture).
 */
public record ConnectionReport(
        long id,
        Endpoint client,
        Endpoint server,
        Opener opener,
        long firstNanos,
        long lastNanos,
        Handshake handshake,
        CloseKind close,
        Optional<Side> firstFin,
        Optional<HalfClose> halfClose,
        List<Reset> resets,
        List<TimeWaitWindow> timeWait,
        SideReport clientSide,
        SideReport serverSide,
        Optional<Reuse> reuse,
        ZeekSummary zeek,
        int completeness,
        List<Anomaly> anomalies,
        long firstFrame,
        long finishedNanos) {

    /** Keeps unmodifiable copies of the lists. */
    public ConnectionReport {
        resets = List.copyOf(resets);
        timeWait = List.copyOf(timeWait);
        anomalies = List.copyOf(anomalies);
    }

    /**
     * This report with its id, and the id of the connection it reuses the 4-tuple of, mapped by
     * {@code ids} (a sharded analysis numbers connections provisionally, then in order of first packet).
     */
    public ConnectionReport renumbered(java.util.function.LongUnaryOperator ids) {
        Optional<Reuse> r = reuse.map(u -> new Reuse(ids.applyAsLong(u.previousId()), u.inTimeWaitOf(), u.legal(),
                u.reason()));
        return new ConnectionReport(ids.applyAsLong(id), client, server, opener, firstNanos, lastNanos, handshake,
                close, firstFin, halfClose, resets, timeWait, clientSide, serverSide, r, zeek, completeness,
                anomalies, firstFrame, finishedNanos);
    }

    /**
     * @param side client or server
     * @return that side's final state and transitions
     */
    public SideReport side(Side side) {
        return side == Side.CLIENT ? clientSide : serverSide;
    }

    /**
     * @param side client or server
     * @return that side's address and port
     */
    public Endpoint endpoint(Side side) {
        return side == Side.CLIENT ? client : server;
    }
}
