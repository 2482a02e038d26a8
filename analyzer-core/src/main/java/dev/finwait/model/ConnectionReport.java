package dev.finwait.model;

import dev.finwait.tcp.Endpoint;
import java.util.List;
import java.util.Optional;

/**
 * The immutable verdict on one incarnation of a 4-tuple. Everything here is derived from the packets;
 * times are capture times in epoch nanoseconds.
 *
 * @param id            1-based, in order of first packet (or as the analysis numbers them)
 * @param client        the side that opened the connection (see {@code opener} for how it was told)
 * @param server        the other side
 * @param opener        how the client was identified
 * @param firstNanos    time of the first segment
 * @param lastNanos     time of the last segment
 * @param handshake     what became of the opening handshake
 * @param close         how the connection ended
 * @param firstFin      the side that sent the first FIN (who closed first), if any did
 * @param halfClose     the half-close, if one side went on sending after the other's FIN
 * @param resets        every RST segment, in order
 * @param timeWait      the TIME_WAIT windows of either side, in order
 * @param clientSide    the client's states, transitions and counts
 * @param serverSide    the server's states, transitions and counts
 * @param reuse         the earlier connection this one reuses the 4-tuple of, if any
 * @param zeek          the verdict as Zeek's conn.log would print it
 * @param completeness  Wireshark's {@code tcp.completeness} bitmask (1 SYN, 2 SYN-ACK, 4 ACK, 8 data,
 *                      16 FIN, 32 RST), as {@code tshark -2} reports it
 * @param anomalies     odd things seen (at most 64 are kept)
 * @param firstFrame    frame number of the connection's first segment
 * @param finishedNanos capture time at which nothing more could happen to it (its last TIME_WAIT over,
 *                      the idle timeout, a new incarnation, or the end of the capture)
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
