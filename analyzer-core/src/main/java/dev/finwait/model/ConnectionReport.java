package dev.finwait.model;

import dev.finwait.tcp.Endpoint;
import java.util.List;
import java.util.Optional;

/**
 * The immutable verdict on one incarnation of a 4-tuple. {@code id} is 1-based in order of first
 * packet. Everything here is derived from the packets; times are capture times in epoch nanoseconds.
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
        List<Anomaly> anomalies) {

    public ConnectionReport {
        resets = List.copyOf(resets);
        timeWait = List.copyOf(timeWait);
        anomalies = List.copyOf(anomalies);
    }

    public SideReport side(Side side) {
        return side == Side.CLIENT ? clientSide : serverSide;
    }

    public Endpoint endpoint(Side side) {
        return side == Side.CLIENT ? client : server;
    }
}
