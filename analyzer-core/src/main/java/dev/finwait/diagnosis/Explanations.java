package dev.finwait.diagnosis;

import dev.finwait.model.Side;
import java.time.Duration;

/** The one sentence of each finding: the mechanism, and what the application sees. */
final class Explanations {
    private Explanations() {
    }

    /** How the packets showed a close with unread input: the RST after the side's FIN, or a lone RST. */
    static final int AFTER_FIN = 1;
    static final int LONE_RST = 2;

    static String of(FindingKind kind, Side side, DiagnosisConfig config, long peak) {
        return of(kind, side, config, peak, 0);
    }

    static String of(FindingKind kind, Side side, DiagnosisConfig config, long peak, int how) {
        String who = side == null ? "" : side.jsonName();
        if (kind == FindingKind.CLOSE_WITH_UNREAD_DATA && (how & LONE_RST) != 0) {
            String shown = (how & AFTER_FIN) != 0
                    ? "RST: after its FIN, or instead of FIN where its receive window had shrunk"
                    : "RST instead of FIN; its receive window had shrunk";
            return "The " + who + " closed its socket with received data still unread, so its kernel sent " + shown
                    + " to half or less and never reopened (the data was acknowledged, never read; RFC 2525 2.17): the"
                    + " peer gets \"Connection reset by peer\" and may lose data it had sent or was about to read.";
        }
        return switch (kind) {
            case CLOSE_WAIT_STUCK -> "The " + who + " received its peer's FIN (read() returned EOF) and did not close"
                    + " for " + seconds(config.closeWaitThreshold()) + " or more (or never, within the capture):"
                    + " the application is not closing its sockets, which pile up in CLOSE_WAIT (a socket leak).";
            case WRITE_AFTER_PEER_CLOSE -> "The " + who + " sent data after its peer had closed, and the peer's kernel"
                    + " answered with RST: the " + who + " gets \"Broken pipe\" (EPIPE) or \"Connection reset by peer\""
                    + " on its next write or read.";
            case CLOSE_WITH_UNREAD_DATA -> "The " + who + " closed its socket with received data still unread, so its"
                    + " kernel sent RST after its FIN (RFC 2525 2.17): the peer gets \"Connection reset by peer\""
                    + " and may lose data it had sent or was about to read.";
            case ABORTIVE_CLOSE -> "The " + who + " ended connections with RST instead of FIN (SO_LINGER 0, a killed"
                    + " process, or close() with unread input, which these packets cannot tell apart): the peer gets"
                    + " \"Connection reset by peer\"; no TIME_WAIT is left.";
            case REFUSED -> "SYNs were answered by RST: nothing listens on this port (or a firewall rejects them):"
                    + " connect() fails with \"Connection refused\" (ECONNREFUSED).";
            case UNANSWERED_SYN -> "SYNs were retransmitted and never answered: the port is filtered, the host is"
                    + " down, or the listener's backlog is full: connect() hangs, then fails with \"Connection timed"
                    + " out\" (ETIMEDOUT).";
            case TIME_WAIT_ON_SERVER -> "The server closes first, so its own sockets hold TIME_WAIT (60 s on Linux)"
                    + " instead of the clients': harmless at low rates, a pile of sockets on a busy server.";
            case REUSE_IN_TIME_WAIT -> "New connections reused a 4-tuple whose previous connection was still in"
                    + " TIME_WAIT: Linux accepts the SYN when its sequence number or timestamp is newer (RFC 6191),"
                    + " otherwise the connection attempt stalls.";
            case EPHEMERAL_PORT_PRESSURE -> "This client held up to " + peak + " sockets in TIME_WAIT at once towards"
                    + " one server address and port, " + Math.round(100.0 * peak / config.ephemeralPorts())
                    + " % of its ephemeral port range " + config.ephemeralLow() + "-" + config.ephemeralHigh()
                    + ": when every port is taken, connect() fails with \"Cannot assign requested address\""
                    + " (EADDRNOTAVAIL).";
        };
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
