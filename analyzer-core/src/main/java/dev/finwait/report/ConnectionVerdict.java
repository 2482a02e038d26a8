package dev.finwait.report;
import dev.finwait.model.TcpState;

import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Handshake;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.flow.FinishedConnection;
import dev.finwait.state.ConnectionTracker;
import dev.finwait.state.SideTracker;
import java.util.Optional;
import java.util.OptionalLong;

/** The verdict on a connection: a pure function of its trackers once the connection is finished. */
public final class ConnectionVerdict {
    private ConnectionVerdict() {
    }

    /** One Optional per side, shared: an Optional is immutable, and one per report was 3 % of the report thread's allocation. */
    @SuppressWarnings("unchecked")
    private static final Optional<Side>[] FIRST_FIN = new Optional[] {Optional.of(Side.CLIENT), Optional.of(Side.SERVER)}; // by ordinal

    /** {@return the report of a finished connection, its TIME_WAIT windows closed as they ended} */
    public static ConnectionReport report(FinishedConnection f) {
        return report(f, f.tracker().timeWaits(), true);
    }

    /**
     * The verdict on a connection still tracked, as it stands at {@code f.finishedNanos()} (its outcome
     * known): TIME_WAIT windows still open are {@code SCHEDULED}. Only on the analysis thread.
     */
    public static ConnectionReport snapshot(FinishedConnection f) {
        return report(f, f.tracker().timeWaitsSoFar(), false);
    }

    /** {@code finished}: nothing changes the trackers again, so their reports may share what they hold. */
    private static ConnectionReport report(FinishedConnection f, java.util.List<dev.finwait.model.TimeWaitWindow> windows,
                                           boolean finished) {
        ConnectionTracker c = f.tracker();
        SideTracker client = c.side(Side.CLIENT);
        SideTracker server = c.side(Side.SERVER);
        Optional<Side> firstFin = c.firstFin() == null ? Optional.empty() : FIRST_FIN[c.firstFin().ordinal()];
        return new ConnectionReport(c.id(), c.client(), c.server(), c.opener(), c.firstNanos(), c.lastNanos(),
                handshake(c, client, server), close(c, client, server), firstFin, halfClose(c),
                c.resets(), windows, finished ? client.finalReport() : client.report(),
                finished ? server.finalReport() : server.report(), Optional.ofNullable(c.reuse()),
                f.zeek().summary(), f.completeness().value(), c.anomalies(), c.firstFrame(),
                f.finishedNanos());
    }

    static Handshake handshake(ConnectionTracker c, SideTracker client, SideTracker server) {
        if (c.refused()) {
            return Handshake.REFUSED;
        }
        if (c.simultaneousOpen()) {
            return Handshake.SIMULTANEOUS;
        }
        if (!c.clientSynSeen() && !c.synAckSeen()) {
            return Handshake.NOT_SEEN;
        }
        if (server.wentThrough(TcpState.ESTABLISHED) || establishedObserved(client)) {
            return c.fastOpen() ? Handshake.FAST_OPEN : Handshake.COMPLETE;
        }
        if (c.clientSynSeen() && server.packets() == 0) {
            return Handshake.UNANSWERED;
        }
        return Handshake.INCOMPLETE;
    }

    private static boolean establishedObserved(SideTracker side) {
        return side.observedEntering(TcpState.ESTABLISHED);
    }

    static CloseKind close(ConnectionTracker c, SideTracker client, SideTracker server) {
        if (c.refused()) {
            return CloseKind.REFUSED;
        }
        Reset firstAcceptable = firstClosingReset(c);
        boolean anyFin = client.finSent() || server.finSent();
        if (firstAcceptable != null) {
            boolean finBefore = (client.finSent() && client.finNanos() <= firstAcceptable.atNanos())
                    || (server.finSent() && server.finNanos() <= firstAcceptable.atNanos());
            return finBefore ? CloseKind.FIN_THEN_RESET : CloseKind.RESET;
        }
        if (client.finSent() && server.finSent()) {
            if (client.wentThrough(TcpState.CLOSING) || server.wentThrough(TcpState.CLOSING)) {
                return CloseKind.SIMULTANEOUS;
            }
            SideTracker second = client.finNanos() <= server.finNanos() ? server : client;
            if (!second.finAcked()) {
                return CloseKind.FINS_UNACKED;
            }
            return c.secondFinPiggybacked() ? CloseKind.THREE_WAY : CloseKind.FOUR_WAY;
        }
        if (anyFin) {
            return CloseKind.HALF_CLOSED;
        }
        boolean established = client.wentThrough(TcpState.ESTABLISHED) || server.wentThrough(TcpState.ESTABLISHED);
        return established ? CloseKind.OPEN : CloseKind.NEVER_OPENED;
    }

    /**
     * The first RST that closed the connection. A RST into (or from) TIME_WAIT, or from a side already
     * CLOSED once both FINs were acknowledged, comes after a graceful close: the close keeps its kind, and
     * the RST shows as the end of the TIME_WAIT window (RFC 1337) or as a reset of a finished connection.
     */
    private static Reset firstClosingReset(ConnectionTracker c) {
        boolean bothFinsAcked = c.side(Side.CLIENT).finAcked() && c.side(Side.SERVER).finAcked();
        java.util.List<Reset> resets = c.resets();
        for (int i = 0; i < resets.size(); i++) { // indexed: the list's iterator was allocated, per call
            Reset r = resets.get(i);
            boolean afterClose = r.cause() == ResetCause.TIME_WAIT
                    || (bothFinsAcked && (r.senderState() == TcpState.CLOSED || r.senderState() == TcpState.TIME_WAIT));
            if (r.acceptable() && !afterClose) {
                return r;
            }
        }
        return null;
    }

    private static Reset firstAcceptableReset(ConnectionTracker c) {
        java.util.List<Reset> resets = c.resets();
        for (int i = 0; i < resets.size(); i++) { // indexed: the list's iterator was allocated, per call
            if (resets.get(i).acceptable()) {
                return resets.get(i);
            }
        }
        return null;
    }

    static Optional<HalfClose> halfClose(ConnectionTracker c) {
        Side by = c.firstFin();
        if (by == null) {
            return Optional.empty();
        }
        SideTracker closer = c.side(by);
        SideTracker other = c.side(by.opposite());
        Reset rst = firstAcceptableReset(c);
        OptionalLong to = OptionalLong.empty();
        if (other.finSent()) {
            to = OptionalLong.of(other.finNanos());
        }
        if (rst != null && rst.atNanos() >= closer.finNanos() && (to.isEmpty() || rst.atNanos() < to.getAsLong())) {
            to = OptionalLong.of(rst.atNanos());
        }
        if (c.halfCloseBytes() == 0 && to.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new HalfClose(by, closer.finNanos(), to, c.halfCloseBytes()));
    }
}
