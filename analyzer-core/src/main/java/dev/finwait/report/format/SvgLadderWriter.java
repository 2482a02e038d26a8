package dev.finwait.report.format;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Anomaly;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Reset;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.TcpFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's ladder as a standalone SVG, for a ticket: the drawing of the HTML page's connection
 * view (report.js, {@code ladderSvg}: same geometry, colours and verdict lines; keep the two alike),
 * with inline attributes only. Needs {@code SegmentSeen} events; keeps the segments of
 * {@code connectionId} alone.
 */
public final class SvgLadderWriter implements ReportWriter {
    private static final int W = 900;
    private static final int XL = 250;
    private static final int XR = 690;
    private static final int TOP = 70;
    private static final int RH = 24;
    private static final String RST = "#d0312d";
    private static final String SYN = "#1f7a4d";
    private static final String FIN = "#2457a6";
    private static final String DATA = "#39424c";
    private static final String CW = "#c2410c";
    private static final String TW = "#6d4bb3";
    private static final String EST = "#3a8d5c";

    private final Writer out;
    private final long connectionId;
    private final HtmlWriter.SegmentLog log = new HtmlWriter.SegmentLog();
    private boolean drawn;
    private long seen;

    /** Draws only the connection numbered {@code connectionId}; the others are not kept. */
    public SvgLadderWriter(Writer out, long connectionId) {
        this.out = out;
        this.connectionId = connectionId;
    }

    @Override
    public boolean wantsEvents() {
        return true;
    }

    @Override
    public void event(ConnectionEvent event) {
        if (event instanceof ConnectionEvent.SegmentSeen s && s.connectionId() == connectionId) {
            log.add(s);
        }
    }

    /** Whether the connection was found and drawn. */
    public boolean drawn() {
        return drawn;
    }

    /** Connections the capture had (known at the end). */
    public long connectionsSeen() {
        return seen;
    }

    @Override
    public void connection(ConnectionReport r) {
        if (r.id() != connectionId || drawn) {
            return;
        }
        drawn = true;
        write(svg(r, log.flat(r.firstNanos()), log.more()));
    }

    static String svg(ConnectionReport r, long[] g, int more) {
        int n = g.length / 9;
        List<String> lines = verdict(r);
        int bottom = TOP + n * RH;
        int h = bottom + 30 + (more > 0 ? 18 : 0) + lines.size() * 17 + 14;
        StringBuilder o = new StringBuilder(4096 + n * 400);
        o.append("<svg xmlns=\"http://www.w3.org/2000/svg\" data-connection-id=\"").append(r.id()).append("\" viewBox=\"0 0 ")
                .append(W).append(' ').append(h).append("\" width=\"").append(W).append("\" height=\"").append(h)
                .append("\" font-size=\"12\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">\n");
        o.append("<rect width=\"").append(W).append("\" height=\"").append(h).append("\" fill=\"#ffffff\"/>\n");
        o.append("<text x=\"12\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"#1d232b\">#").append(r.id()).append("  ")
                .append(esc(r.client().toString())).append(" \u2192 ").append(esc(r.server().toString())).append("  (")
                .append(r.handshake().jsonName()).append(" open, ").append(r.close().jsonName()).append(" close)</text>\n");
        o.append("<text x=\"").append(XL).append("\" y=\"48\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#1d232b\">client ")
                .append(esc(r.client().toString())).append("</text>\n");
        o.append("<text x=\"").append(XR).append("\" y=\"48\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#1d232b\">server ")
                .append(esc(r.server().toString())).append("</text>\n");
        o.append("<text x=\"12\" y=\"48\" fill=\"#5d6975\">time</text>\n");
        for (int x : new int[] {XL, XR}) {
            o.append("<line x1=\"").append(x).append("\" x2=\"").append(x).append("\" y1=\"56\" y2=\"").append(bottom)
                    .append("\" stroke=\"#8a949e\" stroke-width=\"2\"/>\n");
        }
        long first = r.firstNanos() / 1000;
        if (r.halfClose().isPresent() && n > 0) {
            HalfClose hc = r.halfClose().get();
            Side still = hc.by().opposite();
            int r0 = rowOf(g, n, hc.fromNanos() / 1000 - first);
            int r1 = hc.toNanos().isPresent() ? rowOf(g, n, hc.toNanos().getAsLong() / 1000 - first) : n;
            o.append("<rect x=\"").append((still == Side.CLIENT ? XL : XR) - 5).append("\" y=\"").append(y(r0))
                    .append("\" width=\"10\" height=\"").append(Math.max(4, y(Math.min(r1, n)) - y(r0)))
                    .append("\" fill=\"#d49a1c\" fill-opacity=\"0.35\"><title>half-closed: ").append(still.jsonName())
                    .append(" still sending</title></rect>\n");
        }
        for (TimeWaitWindow w : r.timeWait()) {
            if (n == 0) break;
            int r0 = rowOf(g, n, w.fromNanos() / 1000 - first);
            boolean client = w.side() == Side.CLIENT;
            o.append("<rect x=\"").append((client ? XL : XR) - 5).append("\" y=\"").append(y(r0))
                    .append("\" width=\"10\" height=\"").append(bottom + 14 - y(r0))
                    .append("\" fill=\"").append(TW).append("\" fill-opacity=\"0.3\"/>\n");
            o.append("<text x=\"").append(client ? XL - 10 : XR + 10).append("\" y=\"").append(bottom + 14)
                    .append("\" text-anchor=\"").append(client ? "end" : "start").append("\" fill=\"").append(TW)
                    .append("\" font-size=\"11\">TIME_WAIT until +").append(secs(w.untilNanos() / 1000 - first)).append("</text>\n");
        }
        long[] prev = {TcpState.UNKNOWN.ordinal(), TcpState.UNKNOWN.ordinal()}; // as the text ladder
        TcpState[] states = TcpState.values();
        for (int i = 0; i < n; i++) {
            int b = i * 9;
            int from = (int) g[b + 1];
            int f = (int) g[b + 2];
            int y = y(i);
            String color = (f & TcpFlags.RST) != 0 ? RST : (f & TcpFlags.SYN) != 0 ? SYN : (f & TcpFlags.FIN) != 0 ? FIN : DATA;
            boolean strong = (f & (TcpFlags.RST | TcpFlags.FIN)) != 0;
            String label = TcpFlags.tcpdump(f) + " seq " + g[b + 3] + (g[b + 4] >= 0 ? " ack " + g[b + 4] : "")
                    + (g[b + 5] > 0 ? " len " + g[b + 5] : "") + (g[b + 6] == 1 ? " (retx)" : "");
            int x1 = from == 0 ? XL : XR;
            int x2 = from == 0 ? XR : XL;
            int dir = from == 0 ? -1 : 1;
            o.append("<g data-segment=\"").append(i).append("\">");
            o.append("<text x=\"12\" y=\"").append(y + 4).append("\" fill=\"#5d6975\">+").append(secs(g[b])).append("</text>");
            o.append("<line x1=\"").append(x1).append("\" y1=\"").append(y + 6).append("\" x2=\"").append(x2 + dir * 9)
                    .append("\" y2=\"").append(y + 6).append("\" stroke=\"").append(color).append("\" stroke-width=\"")
                    .append(strong ? "2" : "1.3").append('"').append(g[b + 6] == 1 ? " stroke-dasharray=\"5 3\"" : "").append("/>");
            o.append("<path d=\"M").append(x2).append(' ').append(y + 6).append(" l").append(dir * 10)
                    .append(" -4.5 v9 z\" fill=\"").append(color).append("\"/>");
            o.append("<text x=\"").append((XL + XR) / 2).append("\" y=\"").append(y + 1).append("\" text-anchor=\"middle\" fill=\"")
                    .append(color).append('"').append(strong ? " font-weight=\"bold\"" : "").append('>').append(esc(label)).append("</text>");
            for (int side = 0; side < 2; side++) {
                long s = g[b + 7 + side];
                if (s == prev[side]) continue;
                prev[side] = s;
                TcpState st = states[(int) s];
                String sc = st == TcpState.CLOSE_WAIT ? CW : st == TcpState.TIME_WAIT ? TW : st == TcpState.ESTABLISHED ? EST
                        : st == TcpState.CLOSED ? "#1d232b" : "#2f3b47";
                o.append("<text x=\"").append(side == 0 ? XL - 12 : XR + 12).append("\" y=\"").append(y + 10)
                        .append("\" text-anchor=\"").append(side == 0 ? "end" : "start").append("\" font-weight=\"bold\" fill=\"")
                        .append(sc).append("\" data-side=\"").append(side == 0 ? "client" : "server").append("\" data-state=\"")
                        .append(st.name()).append("\">").append(st.name()).append("</text>");
            }
            o.append("</g>\n");
        }
        int y0 = bottom + 34;
        if (n == 0) {
            o.append("<text x=\"").append((XL + XR) / 2).append("\" y=\"").append(TOP + 10)
                    .append("\" text-anchor=\"middle\" fill=\"#5d6975\">no segments seen; its verdict:</text>\n");
        }
        if (more > 0) {
            o.append("<text x=\"12\" y=\"").append(y0).append("\" fill=\"#5d6975\">... ").append(more)
                    .append(" more segments not drawn</text>\n");
            y0 += 18;
        }
        for (int k = 0; k < lines.size(); k++) {
            String l = lines.get(k);
            o.append("<text x=\"12\" y=\"").append(y0 + k * 17).append("\" fill=\"").append(l.startsWith("reset") ? "#9b1c1a" : "#1d232b")
                    .append("\" font-size=\"12.5\">").append(esc(l)).append("</text>\n");
        }
        o.append("</svg>\n");
        return o.toString();
    }

    /** The verdict lines under the ladder (the page's {@code verdict}). */
    static List<String> verdict(ConnectionReport r) {
        List<String> l = new ArrayList<>();
        long first = r.firstNanos() / 1000;
        String by = "";
        if (r.close() == CloseKind.RESET || r.close() == CloseKind.FIN_THEN_RESET) {
            by = r.resets().stream().filter(Reset::acceptable).findFirst().map(x -> " by " + x.by().jsonName()).orElse("");
        }
        l.add("open: " + r.handshake().jsonName() + " \u00b7 close: " + r.close().jsonName() + by
                + r.firstFin().map(s -> ", " + s.jsonName() + " closed first").orElse("")
                + " \u00b7 final: client " + r.clientSide().finalState() + ", server " + r.serverSide().finalState()
                + " \u00b7 " + secs(r.lastNanos() / 1000 - first));
        r.halfClose().ifPresent(h -> l.add("half-close: " + h.by().jsonName() + " sent FIN at +" + secs(h.fromNanos() / 1000 - first)
                + "; " + h.by().opposite().jsonName() + " kept sending " + h.bytesAfter() + " bytes"
                + (h.toNanos().isPresent() ? " for " + secs((h.toNanos().getAsLong() - h.fromNanos()) / 1000)
                : " until the end of the capture")));
        for (Reset x : r.resets()) {
            l.add("reset: " + x.by().jsonName() + (x.withAck() ? " RST+ACK" : " RST") + " in " + x.senderState() + ", "
                    + x.cause().jsonName().replace('_', ' ') + (x.acceptable() ? "" : " (not acceptable to the receiver: ignored)")
                    + " at +" + secs(x.atNanos() / 1000 - first) + " frame " + x.frame());
        }
        for (TimeWaitWindow w : r.timeWait()) {
            l.add("TIME_WAIT " + w.side().jsonName() + " from +" + secs(w.fromNanos() / 1000 - first) + " until +"
                    + secs(w.untilNanos() / 1000 - first) + " (2MSL), ended by " + w.endedBy().jsonName() + " at +"
                    + secs(w.endedAtNanos() / 1000 - first));
        }
        r.reuse().ifPresent(u -> l.add("reuses the 4-tuple of #" + u.previousId()
                + (u.inTimeWaitOf() == null ? "" : " inside the " + u.inTimeWaitOf().jsonName() + "'s TIME_WAIT")
                + (u.legal() ? " (legal: " : " (premature: ") + u.reason() + ")"));
        for (Anomaly a : r.anomalies().subList(0, Math.min(5, r.anomalies().size()))) {
            l.add("anomaly: " + a.kind().jsonName() + (a.frame() > 0 ? " at frame " + a.frame() : "") + (a.detail().isEmpty() ? "" : ": " + a.detail()));
        }
        l.add("zeek: " + r.zeek().connState() + " " + r.zeek().history() + " \u00b7 packets client " + r.clientSide().counts().packets()
                + ", server " + r.serverSide().counts().packets() + " \u00b7 payload bytes client "
                + r.clientSide().counts().payloadBytes() + ", server " + r.serverSide().counts().payloadBytes());
        return l;
    }

    private static int rowOf(long[] g, int n, long t) {
        for (int i = 0; i < n; i++) {
            if (g[i * 9] >= t) return i;
        }
        return n;
    }

    private static int y(int row) {
        return TOP + row * RH + RH / 2;
    }

    /** Microseconds as seconds with three decimals, as the page writes them. */
    private static String secs(long micros) {
        return Times.seconds(micros * 1000);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void end(CaptureSummary summary) {
        seen = summary.connections();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(CharSequence s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
