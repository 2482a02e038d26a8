package dev.finwait.report.format;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import dev.finwait.tcp.TcpFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence diagram per connection, like the figures of a TCP textbook: client on the left,
 * server on the right, one arrow per segment (tcpdump flags, relative seq/ack, payload length),
 * each side's state written beside the arrow where it changes, TIME_WAIT windows at the end.
 * Needs {@code SegmentSeen} events (AnalyzerConfig.withEmitSegments(true)); keeps at most
 * {@link #MAX_ARROWS} arrows per connection in memory.
 */
public final class LadderWriter implements ReportWriter {
    /** Arrows kept per connection: a long transfer would otherwise hold every segment in memory. */
    public static final int MAX_ARROWS = 500;
    private static final int STATE = 12;
    private static final int TIME = 11;
    private final Writer out;
    private final int width;
    private final Map<Long, List<ConnectionEvent.SegmentSeen>> pending = new HashMap<>();
    private final Map<Long, Integer> dropped = new HashMap<>();

    /** {@code width}: total line width (a terminal's columns), at least 60. */
    public LadderWriter(Writer out, int width) {
        this.out = out;
        this.width = Math.max(60, width);
    }

    @Override
    public boolean wantsEvents() {
        return true;
    }

    @Override
    public void event(ConnectionEvent event) {
        if (event instanceof ConnectionEvent.SegmentSeen s) {
            List<ConnectionEvent.SegmentSeen> list = pending.computeIfAbsent(s.connectionId(), k -> new ArrayList<>());
            if (list.size() < MAX_ARROWS) {
                list.add(s);
            } else {
                dropped.merge(s.connectionId(), 1, Integer::sum);
            }
        }
    }

    /** Forgets the segments of a connection that will not be drawn (filtered out). */
    @Override
    public void discard(long connectionId) {
        pending.remove(connectionId);
        dropped.remove(connectionId);
    }

    @Override
    public void connection(ConnectionReport r) {
        List<ConnectionEvent.SegmentSeen> segs = pending.remove(r.id());
        int more = dropped.getOrDefault(r.id(), 0);
        dropped.remove(r.id());
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(r.id()).append("  client ").append(r.client()).append("  >  server ").append(r.server())
                .append("   (").append(r.handshake().jsonName()).append(" open, ").append(r.close().jsonName())
                .append(" close)\n");
        int arrow = width - TIME - 2 * STATE - 4;
        sb.append(pad("time", TIME)).append(pad("client", STATE)).append(' ').append(center("", arrow)).append(' ')
                .append("server").append('\n');
        long t0 = r.firstNanos();
        int[] isn = new int[2];
        boolean[] known = new boolean[2];
        TcpState lastClient = TcpState.UNKNOWN;
        TcpState lastServer = TcpState.UNKNOWN;
        if (segs != null) {
            for (ConnectionEvent.SegmentSeen e : segs) {
                Segment s = e.segment();
                int from = e.from().ordinal();
                if (!known[from]) {
                    known[from] = true;
                    isn[from] = s.seq();
                }
                int to = 1 - from;
                String label = label(s, isn[from], known[to] ? isn[to] : s.ack() - 1, e.retransmission());
                String clientCell = e.clientState() != lastClient ? e.clientState().name() : "";
                String serverCell = e.serverState() != lastServer ? e.serverState().name() : "";
                lastClient = e.clientState();
                lastServer = e.serverState();
                sb.append(pad("+" + Times.seconds(s.timeNanos() - t0), TIME)).append(padLeft(clientCell, STATE))
                        .append(' ').append(arrow(label, arrow, e.from() == Side.CLIENT)).append(' ')
                        .append(serverCell).append('\n');
            }
        }
        if (more > 0) {
            sb.append(pad("", TIME)).append("... ").append(more).append(" more segments not drawn\n");
        }
        for (TimeWaitWindow w : r.timeWait()) {
            sb.append(pad("", TIME)).append(w.side().jsonName()).append(" TIME_WAIT from +")
                    .append(Times.seconds(w.fromNanos() - t0)).append(" until +").append(Times.seconds(w.untilNanos() - t0))
                    .append(" (2MSL), ended by ").append(w.endedBy().jsonName()).append(" at +")
                    .append(Times.seconds(w.endedAtNanos() - t0)).append('\n');
        }
        sb.append('\n');
        try {
            out.append(sb);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String label(Segment s, int ownIsn, int peerIsn, boolean retransmission) {
        StringBuilder sb = new StringBuilder();
        sb.append(TcpFlags.tcpdump(s.flags())).append(" seq ").append(Seq.unsigned(s.seq() - ownIsn));
        if (s.hasAck()) sb.append(" ack ").append(Seq.unsigned(s.ack() - peerIsn));
        if (s.payloadLength() > 0) sb.append(" len ").append(s.payloadLength());
        if (retransmission) sb.append(" (retx)");
        return sb.toString();
    }

    static String arrow(String label, int width, boolean rightwards) {
        String body = " " + label + " ";
        int dashes = Math.max(2, width - body.length() - 1);
        if (body.length() > width - 3) {
            body = body.substring(0, Math.max(0, width - 4)) + " ";
            dashes = 2;
        }
        int left = dashes / 2;
        int right = dashes - left;
        return rightwards
                ? "-".repeat(left) + body + "-".repeat(right) + ">"
                : "<" + "-".repeat(left) + body + "-".repeat(right);
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
    }

    private static String padLeft(String s, int n) {
        return s.length() >= n ? s : " ".repeat(n - s.length()) + s;
    }

    private static String center(String s, int n) {
        return s.length() >= n ? s : " ".repeat((n - s.length()) / 2) + s + " ".repeat(n - s.length() - (n - s.length()) / 2);
    }

    @Override
    public void end(CaptureSummary summary) {
        try {
            out.append(String.valueOf(summary.tcpSegments())).append(" TCP segments in ")
                    .append(String.valueOf(summary.connections())).append(summary.connections() == 1 ? " connection\n" : " connections\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
