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
