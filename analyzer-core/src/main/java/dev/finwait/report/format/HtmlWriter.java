package dev.finwait.report.format;

import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Finding;
import dev.finwait.diagnosis.FindingKind;
import dev.finwait.diagnosis.HostRecord;
import dev.finwait.diagnosis.Series;
import dev.finwait.diagnosis.SeriesState;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Anomaly;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.DecodeProblem;
import dev.finwait.model.Handshake;
import dev.finwait.model.Reset;
import dev.finwait.model.Side;
import dev.finwait.model.SideCounts;
import dev.finwait.model.SideReport;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.Transition;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One self-contained HTML page (no network at view time): the page's CSS and script come from
 * {@link HtmlPage}, the data is two JSON blobs in {@code <script type="application/json">} elements.
 * Connections are written as they finish (the page streams out; only the hosts table, the totals and
 * the segments of open connections are kept), the summary at the end.
 *
 * <p>Per-segment detail (the ladder) is kept for connections with a problem, up to
 * {@link #PROBLEM_LADDERS}, and for the first {@link #OTHER_LADDERS} others; the page says so. Every
 * connection has its row. Times are integer microseconds: connection times from {@code base} (the
 * first written connection's start, in the summary), segment times from the connection's start.
 */
public final class HtmlWriter implements ReportWriter {
    /** At most this many connections with a problem keep their per-segment ladder in the page. */
    public static final int PROBLEM_LADDERS = 10_000;
    /** And this many connections without one: together they bound the page's size on large captures. */
    public static final int OTHER_LADDERS = 2_000;

    private final Writer out;
    private final List<String> inputs;
    private final Map<Long, SegmentLog> pending = new HashMap<>();
    private final Map<IpAddress, Integer> hosts = new LinkedHashMap<>();
    private final Totals totals = new Totals();
    private final StringBuilder sb = new StringBuilder(1024);
    private final int problemCap;
    private final int otherCap;
    private boolean started;
    private long baseMicros;
    private long firstMicros = Long.MAX_VALUE;
    private long lastMicros = Long.MIN_VALUE;
    private int problemLadders;
    private int otherLadders;
    private long laddersLeftOut;
    private long withProblems;
    private DiagnosisResult diagnosis;

    /** {@code inputs}: the capture files (or interface) named on the page. */
    public HtmlWriter(Writer out, List<String> inputs) {
        this(out, inputs, PROBLEM_LADDERS, OTHER_LADDERS);
    }

    HtmlWriter(Writer out, List<String> inputs, int problemCap, int otherCap) {
        this.out = out;
        this.inputs = List.copyOf(inputs);
        this.problemCap = problemCap;
        this.otherCap = otherCap;
    }

    @Override
    public boolean wantsEvents() {
        return true;
    }

    @Override
    public void event(ConnectionEvent event) {
        if (event instanceof ConnectionEvent.SegmentSeen s && problemLadders < problemCap) {
            pending.computeIfAbsent(s.connectionId(), k -> new SegmentLog()).add(s);
        }
    }

    @Override
    public void discard(long connectionId) {
        pending.remove(connectionId);
    }

    @Override
    public void connection(ConnectionReport r) {
        SegmentLog segs = pending.remove(r.id());
        totals.add(r);
        long first = micros(r.firstNanos());
        if (!started) {
            baseMicros = first;
            write(HtmlPage.head());
            write("[");
            started = true;
        } else {
            write(",");
        }
        firstMicros = Math.min(firstMicros, first);
        lastMicros = Math.max(lastMicros, micros(r.lastNanos()));
        int problems = problems(r);
        if (problems > 0) {
            withProblems++;
        }
        boolean keep = segs != null && (problems > 0 ? problemLadders < problemCap : otherLadders < otherCap);
        if (keep) {
            if (problems > 0) problemLadders++;
            else otherLadders++;
        } else {
            laddersLeftOut++;
        }
        sb.setLength(0);
        connectionJson(r, first, problems, keep ? segs : null);
        write(sb);
    }

    /**
     * How many things went wrong: each RST, a refused or unanswered open, a premature reuse, a side left
     * in CLOSE_WAIT, FINs never acknowledged, each anomaly. The page sorts by it; &gt; 0 keeps a ladder.
     * (TIME_WAIT on the server is a pattern of a service, not a fault of one connection: a filter.)
     */
    static int problems(ConnectionReport r) {
        int p = r.resets().size() + r.anomalies().size();
        if (r.handshake() == Handshake.REFUSED || r.handshake() == Handshake.UNANSWERED) p++;
        if (r.reuse().isPresent() && !r.reuse().get().legal()) p++;
        if (r.clientSide().finalState() == TcpState.CLOSE_WAIT || r.serverSide().finalState() == TcpState.CLOSE_WAIT) p++;
        if (r.close() == CloseKind.FINS_UNACKED) p++;
        return p;
    }

    private void connectionJson(ConnectionReport r, long first, int problems, SegmentLog segs) {
        sb.append("{\"i\":").append(r.id())
                .append(",\"c\":[").append(host(r.client().ip())).append(',').append(r.client().port())
                .append("],\"s\":[").append(host(r.server().ip())).append(',').append(r.server().port())
                .append("],\"o\":\"").append(r.opener().name().toLowerCase(java.util.Locale.ROOT))
                .append("\",\"t0\":").append(first - baseMicros)
                .append(",\"d\":").append(micros(r.lastNanos()) - first)
                .append(",\"h\":\"").append(r.handshake().jsonName())
                .append("\",\"k\":\"").append(r.close().jsonName()).append('"');
        r.firstFin().ifPresent(s -> sb.append(",\"ff\":").append(s.ordinal()));
        r.halfClose().ifPresent(h -> {
            sb.append(",\"hc\":[").append(h.by().ordinal()).append(',').append(rel(h.fromNanos(), first)).append(',');
            if (h.toNanos().isPresent()) sb.append(rel(h.toNanos().getAsLong(), first));
            else sb.append("null");
            sb.append(',').append(h.bytesAfter()).append(']');
        });
        if (!r.resets().isEmpty()) {
            sb.append(",\"r\":[");
            for (int i = 0; i < r.resets().size(); i++) {
                Reset x = r.resets().get(i);
                sb.append(i == 0 ? "[" : ",[").append(x.by().ordinal()).append(',').append(rel(x.atNanos(), first))
                        .append(',').append(x.frame()).append(',').append(x.senderState().ordinal())
                        .append(',').append(x.withAck() ? 1 : 0).append(',').append(x.acceptable() ? 1 : 0)
                        .append(",\"").append(x.cause().jsonName()).append("\"]");
            }
            sb.append(']');
        }
        if (!r.timeWait().isEmpty()) {
            sb.append(",\"tw\":[");
            for (int i = 0; i < r.timeWait().size(); i++) {
                TimeWaitWindow w = r.timeWait().get(i);
                sb.append(i == 0 ? "[" : ",[").append(w.side().ordinal()).append(',').append(rel(w.fromNanos(), first))
                        .append(',').append(rel(w.untilNanos(), first)).append(",\"").append(w.endedBy().jsonName())
                        .append("\",").append(rel(w.endedAtNanos(), first)).append(']');
            }
            sb.append(']');
        }
        side("cs", r.clientSide(), first);
        side("ss", r.serverSide(), first);
        r.reuse().ifPresent(u -> {
            sb.append(",\"u\":[").append(u.previousId()).append(',')
                    .append(u.inTimeWaitOf() == null ? "null" : String.valueOf(u.inTimeWaitOf().ordinal()))
                    .append(',').append(u.legal() ? 1 : 0).append(',');
            string(u.reason());
            sb.append(']');
        });
        sb.append(",\"z\":[");
        string(r.zeek().connState());
        sb.append(',');
        string(r.zeek().history());
        sb.append("],\"q\":").append(r.completeness());
        if (!r.anomalies().isEmpty()) {
            sb.append(",\"a\":[");
            for (int i = 0; i < r.anomalies().size(); i++) {
                Anomaly a = r.anomalies().get(i);
                sb.append(i == 0 ? "[" : ",[");
                string(a.kind().jsonName());
                sb.append(',').append(a.frame()).append(',').append(rel(a.atNanos(), first)).append(',');
                string(a.detail());
                sb.append(']');
            }
            sb.append(']');
        }
        if (problems > 0) {
            sb.append(",\"p\":").append(problems);
        }
        if (segs != null) {
            segs.appendJson(sb, r.firstNanos());
        }
        sb.append('}');
    }

    /** A side: final state, transitions flat as [state, at, frame, inferred]..., counts. */
    private void side(String name, SideReport s, long first) {
        sb.append(",\"").append(name).append("\":{\"f\":").append(s.finalState().ordinal()).append(",\"t\":[");
        List<Transition> ts = s.transitions();
        for (int i = 0; i < ts.size(); i++) {
            Transition t = ts.get(i);
            if (i > 0) sb.append(',');
            sb.append(t.state().ordinal()).append(',').append(rel(t.atNanos(), first)).append(',').append(t.frame())
                    .append(',').append(t.inferred() ? 1 : 0);
        }
        SideCounts c = s.counts();
        sb.append("],\"n\":[").append(c.packets()).append(',').append(c.payloadBytes()).append(',').append(c.syn())
                .append(',').append(c.synAck()).append(',').append(c.fin()).append(',').append(c.rst()).append(',')
                .append(c.retransmissions()).append("]}");
    }

    private int host(IpAddress ip) {
        Integer i = hosts.get(ip);
        if (i == null) {
            i = hosts.size();
            hosts.put(ip, i);
        }
        return i;
    }

    private static long micros(long nanos) {
        return Math.floorDiv(nanos, 1000);
    }

    private static long rel(long nanos, long firstMicros) {
        return micros(nanos) - firstMicros;
    }

    private void string(String s) {
        Json.string(sb, s);
    }

    /** Kept for the summary: its findings and time series are written at the end, with the totals. */
    @Override
    public void diagnosis(DiagnosisResult d) {
        this.diagnosis = d;
    }

    /**
     * {@code "findings":[{kind, severity, side, scope, where, svc, count, of, examples, explanation}]}, worst
     * first (the diagnosis' order); {@code svc} is the service as the page keys it (host index:port).
     * {@code "series":[{scope, key, start, step (µs), established, half_closed, close_wait, time_wait}]}.
     */
    private void diagnosisJson(DiagnosisResult d) {
        Map<Finding, IpAddress> hostOf = new IdentityHashMap<>();
        for (HostRecord h : d.hosts()) {
            for (Finding f : h.findings()) {
                if (f.kind() == FindingKind.EPHEMERAL_PORT_PRESSURE) hostOf.put(f, h.ip());
            }
        }
        sb.append(",\"findings\":[");
        for (int i = 0; i < d.findings().size(); i++) {
            Finding f = d.findings().get(i);
            IpAddress host = hostOf.get(f);
            if (i > 0) sb.append(',');
            sb.append("{\"kind\":\"").append(f.kind().jsonName()).append("\",\"severity\":\"").append(f.severity().jsonName())
                    .append("\",\"side\":").append(f.side() == null ? "null" : "\"" + f.side().jsonName() + "\"")
                    .append(",\"scope\":\"").append(host != null ? "host" : "service").append("\",\"where\":");
            string(host != null ? host + " to " + f.service() : f.service().toString());
            Integer svcHost = f.service() == null ? null : hosts.get(f.service().ip());
            if (svcHost != null) sb.append(",\"svc\":\"").append(svcHost).append(':').append(f.service().port()).append('"');
            sb.append(",\"count\":").append(f.count()).append(",\"of\":").append(f.of()).append(",\"examples\":[");
            for (int k = 0; k < f.examples().size(); k++) {
                if (k > 0) sb.append(',');
                sb.append(f.examples().get(k));
            }
            sb.append("],\"explanation\":");
            string(f.explanation());
            sb.append('}');
        }
        sb.append("],\"series\":[");
        for (int i = 0; i < d.series().size(); i++) {
            Series x = d.series().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"scope\":\"").append(x.service() != null ? "service" : "host").append("\",\"key\":");
            string(x.service() != null ? x.service().toString() : x.host().toString());
            sb.append(",\"start\":").append(micros(x.startNanos()) - baseMicros).append(",\"step\":")
                    .append(Math.max(1, x.stepNanos() / 1000));
            for (SeriesState st : SeriesState.values()) {
                sb.append(",\"").append(st.jsonName()).append("\":[");
                double[] v = x.values(st);
                for (int k = 0; k < v.length; k++) {
                    if (k > 0) sb.append(',');
                    // a mean over the step: three decimals are plenty for a line 100 pixels high
                    long m = Math.round(v[k] * 1000);
                    sb.append(m / 1000);
                    if (m % 1000 != 0) {
                        String frac = String.valueOf(1000 + Math.abs(m % 1000)).substring(1).replaceAll("0+$", "");
                        sb.append('.').append(frac);
                    }
                }
                sb.append(']');
            }
            sb.append('}');
        }
        sb.append(']');
    }

    @Override
    public void end(CaptureSummary summary) {
        if (!started) {
            write(HtmlPage.head());
            write("[");
            baseMicros = 0;
        }
        sb.setLength(0);
        sb.append("]");
        sb.append(HtmlPage.between());
        summaryJson(summary);
        sb.append(HtmlPage.tail());
        write(sb);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void summaryJson(CaptureSummary s) {
        sb.append("{\"inputs\":[");
        for (int i = 0; i < inputs.size(); i++) {
            if (i > 0) sb.append(',');
            string(inputs.get(i));
        }
        sb.append("],\"base\":").append(baseMicros)
                .append(",\"first\":").append(firstMicros == Long.MAX_VALUE ? 0 : firstMicros - baseMicros)
                .append(",\"last\":").append(lastMicros == Long.MIN_VALUE ? 0 : lastMicros - baseMicros)
                .append(",\"hosts\":[");
        boolean comma = false;
        for (IpAddress ip : hosts.keySet()) {
            if (comma) sb.append(',');
            comma = true;
            string(ip.toString());
        }
        sb.append("],\"states\":[");
        for (TcpState st : TcpState.values()) {
            if (st.ordinal() > 0) sb.append(',');
            string(st.name());
        }
        sb.append("],\"frames\":").append(s.frames()).append(",\"tcp_segments\":").append(s.tcpSegments())
                .append(",\"connections\":").append(s.connections()).append(",\"malformed\":").append(s.malformed())
                .append(",\"non_tcp\":").append(s.nonTcp()).append(",\"problems\":{");
        comma = false;
        for (Map.Entry<DecodeProblem, Long> e : s.problems().entrySet()) {
            if (comma) sb.append(',');
            comma = true;
            string(e.getKey().text());
            sb.append(':').append(e.getValue());
        }
        sb.append("},\"input_error\":");
        if (s.inputError() == null) sb.append("null");
        else string(s.inputError());
        sb.append(",\"totals\":{\"shown\":").append(totals.connections()).append(",\"graceful\":").append(totals.graceful())
                .append(",\"four_way\":").append(totals.count(CloseKind.FOUR_WAY))
                .append(",\"three_way\":").append(totals.count(CloseKind.THREE_WAY))
                .append(",\"simultaneous\":").append(totals.count(CloseKind.SIMULTANEOUS))
                .append(",\"half_closed\":").append(totals.halfClosed())
                .append(",\"reset\":").append(totals.count(CloseKind.RESET) + totals.count(CloseKind.FIN_THEN_RESET))
                .append(",\"refused\":").append(totals.count(CloseKind.REFUSED))
                .append(",\"open\":").append(totals.count(CloseKind.OPEN))
                .append(",\"never_opened\":").append(totals.count(CloseKind.NEVER_OPENED))
                .append(",\"time_wait_client\":").append(totals.timeWait(Side.CLIENT))
                .append(",\"time_wait_server\":").append(totals.timeWait(Side.SERVER))
                .append(",\"rst_by_client\":").append(totals.resetsBy(Side.CLIENT))
                .append(",\"rst_by_server\":").append(totals.resetsBy(Side.SERVER))
                .append(",\"reused\":").append(totals.reused())
                .append(",\"expired_idle\":").append(totals.expiredIdle())
                .append(",\"with_problems\":").append(withProblems)
                .append("},\"ladders\":{\"problem_cap\":").append(problemCap).append(",\"other_cap\":").append(otherCap)
                .append(",\"kept\":").append(problemLadders + otherLadders).append(",\"left_out\":").append(laddersLeftOut)
                .append(",\"max_segments\":").append(SegmentLog.MAX).append('}');
        if (diagnosis != null) {
            diagnosisJson(diagnosis);
        }
        sb.append('}');
    }

    private void write(CharSequence s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The segments of one connection, packed as they arrive: 9 ints each (time from the first segment
     * in microseconds, sender, flags, seq, ack, has-ack, length, retransmission, both states).
     */
    static final class SegmentLog {
        static final int MAX = LadderWriter.MAX_ARROWS;
        private static final int W = 8;
        private long[] times = new long[8];
        private int[] v = new int[8 * W];
        private int n;
        private int more;

        void add(ConnectionEvent.SegmentSeen e) {
            if (n == MAX) {
                more++;
                return;
            }
            if (n == times.length) {
                times = java.util.Arrays.copyOf(times, n * 2);
                v = java.util.Arrays.copyOf(v, n * 2 * W);
            }
            var s = e.segment();
            times[n] = s.timeNanos();
            int o = n * W;
            v[o] = e.from().ordinal();
            v[o + 1] = s.flags();
            v[o + 2] = s.seq();
            v[o + 3] = s.hasAck() ? s.ack() : 0;
            v[o + 4] = s.hasAck() ? 1 : 0;
            v[o + 5] = s.payloadLength() | (e.retransmission() ? 1 << 30 : 0);
            v[o + 6] = e.clientState().ordinal();
            v[o + 7] = e.serverState().ordinal();
            n++;
        }

        /** Segments past {@link #MAX} that were not kept. */
        int more() {
            return more;
        }

        /**
         * Nine numbers per segment: time from {@code firstNanos} in microseconds, sender (0 client, 1
         * server), flags, seq and ack relative to each side's first sequence number (as the text ladder;
         * ack -1 when the segment has none), payload length, retransmission (0/1), client state and
         * server state after it (ordinals of TcpState).
         */
        long[] flat(long firstNanos) {
            long[] isn = new long[2];
            boolean[] known = new boolean[2];
            long[] f = new long[n * 9];
            for (int i = 0; i < n; i++) {
                int o = i * W;
                int from = v[o];
                if (!known[from]) {
                    known[from] = true;
                    isn[from] = v[o + 2];
                }
                long peerIsn = known[1 - from] ? isn[1 - from] : v[o + 3] - 1L;
                int k = i * 9;
                f[k] = Math.floorDiv(times[i] - firstNanos, 1000);
                f[k + 1] = from;
                f[k + 2] = v[o + 1];
                f[k + 3] = (v[o + 2] - isn[from]) & 0xFFFFFFFFL;
                f[k + 4] = v[o + 4] == 1 ? (v[o + 3] - peerIsn) & 0xFFFFFFFFL : -1;
                f[k + 5] = v[o + 5] & 0x3FFFFFFF;
                f[k + 6] = v[o + 5] >>> 30;
                f[k + 7] = v[o + 6];
                f[k + 8] = v[o + 7];
            }
            return f;
        }

        /** {@code "g":[...]} ({@link #flat}), then {@code "gx":N} when segments past {@link #MAX} were left out. */
        void appendJson(StringBuilder sb, long firstNanos) {
            long[] f = flat(firstNanos);
            sb.append(",\"g\":[");
            for (int i = 0; i < f.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(f[i]);
            }
            sb.append(']');
            if (more > 0) {
                sb.append(",\"gx\":").append(more);
            }
        }
    }
}
