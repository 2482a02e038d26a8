package dev.finwait.report.format;

import dev.finwait.model.Anomaly;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.DecodeProblem;
import dev.finwait.model.Handshake;
import dev.finwait.model.Opener;
import dev.finwait.model.Reset;
import dev.finwait.model.SideCounts;
import dev.finwait.model.Side;
import dev.finwait.model.SideReport;
import dev.finwait.model.TcpState;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.diagnosis.DiagnosisResult;
import dev.finwait.diagnosis.Finding;
import dev.finwait.diagnosis.HostRecord;
import dev.finwait.diagnosis.Interim;
import dev.finwait.diagnosis.Series;
import dev.finwait.diagnosis.SeriesState;
import dev.finwait.diagnosis.ServiceRecord;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line: a {@code connection} per finished connection, then a {@code summary}.
 * Field names are a public contract (see the README): fields may be added, never renamed.
 * Times are epoch seconds as JSON numbers.
 *
 * <p>The text is built by hand in a reused buffer of UTF-8 bytes (one line at a time, no objects per
 * field), byte for byte what Jackson's generator wrote before: compact, strings escaped with
 * Jackson's rules, times as the plain decimal of {@link Times#epochSeconds}. Given an
 * {@link OutputStream}, the bytes go straight out (no char-to-byte encoding step: that step was about
 * 5 % of a 1 M-packet run); given a {@link Writer}, each line is decoded back to text for it.
 */
public final class JsonlWriter implements ReportWriter, java.io.Flushable {
    private final Writer textOut;
    private final OutputStream byteOut;
    /** With {@link #gathering}: whole lines are kept until this many bytes are, then written at once; else 0. */
    private final int gather;
    private byte[] buf;
    private int len;
    private final Decimal.EpochSeconds seconds = new Decimal.EpochSeconds();

    /** Writes to {@code out}, one JSON object per line. */
    public JsonlWriter(Writer out) {
        this.textOut = out;
        this.byteOut = null;
        this.gather = 0;
        this.buf = new byte[4096];
    }

    /** Writes UTF-8 bytes to {@code out}; buffer it, since each line is one write. */
    public JsonlWriter(OutputStream out) {
        this(out, 0);
    }

    private JsonlWriter(OutputStream out, int gather) {
        this.textOut = null;
        this.byteOut = out;
        this.gather = gather;
        this.buf = new byte[gather + 4096];
    }

    /**
     * Writes UTF-8 bytes to {@code out} (unbuffered is fine) in whole lines, gathered in the writer's own
     * buffer until {@code bytes} are, then written in one call; {@link #flush} and {@link #end} write
     * what is gathered. The lines are built in that buffer, so they are copied only by {@code out}: a
     * {@code BufferedOutputStream} in between copied every byte once more (1.3 GB on 10 M packets).
     */
    public static JsonlWriter gathering(OutputStream out, int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be 1 or more");
        }
        return new JsonlWriter(out, bytes);
    }

    /** Writes out what is gathered and flushes the stream. */
    @Override
    public void flush() throws IOException {
        if (byteOut != null) {
            if (len > 0) {
                byteOut.write(buf, 0, len);
                len = 0;
            }
            byteOut.flush();
        } else {
            textOut.flush();
        }
    }

    // The fixed text of a connection line as bytes, adjacent pieces joined (an enum's value with its key):
    // a line is about 140 pieces and 45 numbers, and each piece copied is a call and a bounds check.
    private static final byte[] CONNECTION = ascii("{\"type\":\"connection\",\"id\":");
    private static final byte[] CONNECTION_UPDATE = ascii("{\"type\":\"connection_update\",\"id\":");
    private static final byte[] CLIENT = ascii(",\"client\":{\"ip\":");
    private static final byte[] SERVER = ascii(",\"server\":{\"ip\":");
    private static final byte[] PORT = ascii(",\"port\":");
    private static final byte[][] OPENER = pieces(Opener.class, o -> ",\"opener\":\"" + o.jsonName() + "\",\"first_ts\":");
    private static final byte[] LAST_TS = ascii(",\"last_ts\":");
    private static final byte[][] HANDSHAKE = pieces(Handshake.class, h -> ",\"handshake\":\"" + h.jsonName() + "\"");
    private static final byte[][] CLOSE = pieces(CloseKind.class, c -> ",\"close\":\"" + c.jsonName() + "\"");
    private static final byte[][] FIRST_FIN = pieces(Side.class, f -> ",\"first_fin\":\"" + f.jsonName() + "\"");
    private static final byte[] FIRST_FIN_NULL = ascii(",\"first_fin\":null");
    private static final byte[] HALF_CLOSE_NULL_RESETS = ascii(",\"half_close\":null,\"resets\":[");
    private static final byte[] TIME_WAITS = ascii("],\"time_wait\":[");
    private static final byte[][] TIME_WAIT_FIRST = pieces(Side.class, x -> "{\"side\":\"" + x.jsonName() + "\",\"from\":");
    private static final byte[][] TIME_WAIT_NEXT = pieces(Side.class, x -> ",{\"side\":\"" + x.jsonName() + "\",\"from\":");
    private static final byte[] UNTIL = ascii(",\"until\":");
    private static final byte[][] ENDED_BY = pieces(TimeWaitEnd.class, e -> ",\"ended_by\":\"" + e.jsonName() + "\",\"ended_at\":");
    private static final byte[] REUSE_NULL_SIDES = ascii("],\"reuse\":null,\"sides\":{");
    private static final byte[][] SIDE_CLIENT = pieces(TcpState.class,
            t -> "\"client\":{\"final_state\":\"" + t.name() + "\",\"transitions\":[");
    private static final byte[][] SIDE_SERVER = pieces(TcpState.class,
            t -> ",\"server\":{\"final_state\":\"" + t.name() + "\",\"transitions\":[");
    private static final byte[][] TRANSITION_FIRST = pieces(TcpState.class, t -> "{\"state\":\"" + t.name() + "\",\"at\":");
    private static final byte[][] TRANSITION_NEXT = pieces(TcpState.class, t -> ",{\"state\":\"" + t.name() + "\",\"at\":");
    private static final byte[] FRAME = ascii(",\"frame\":");
    private static final byte[] INFERRED = ascii(",\"inferred\":true}");
    private static final byte[] OBSERVED = ascii(",\"inferred\":false}");
    private static final byte[] END_OF_SIDE = ascii("]}");
    private static final byte[] COUNTS_CLIENT = ascii("]}},\"counts\":{\"client\":{\"packets\":");
    private static final byte[] COUNTS_SERVER = ascii(",\"server\":{\"packets\":");
    private static final byte[] PAYLOAD_BYTES = ascii(",\"payload_bytes\":");
    private static final byte[] SYN = ascii(",\"syn\":");
    private static final byte[] SYNACK = ascii(",\"synack\":");
    private static final byte[] FIN = ascii(",\"fin\":");
    private static final byte[] RST = ascii(",\"rst\":");
    private static final byte[] RETRANSMISSIONS = ascii(",\"retransmissions\":");
    private static final byte[] DUPLICATES = ascii(",\"duplicates\":");
    private static final byte[] ZEEK = ascii("},\"zeek\":{\"conn_state\":");
    private static final byte[] HISTORY = ascii(",\"history\":");
    private static final byte[] COMPLETENESS = ascii("},\"completeness\":");
    private static final byte[] ANOMALIES = ascii(",\"anomalies\":[");
    private static final byte[] END_OF_LINE = ascii("]}\n");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The piece for each constant of an enum, by ordinal. */
    private static <E extends Enum<E>> byte[][] pieces(Class<E> type, java.util.function.Function<E, String> text) {
        E[] all = type.getEnumConstants();
        byte[][] out = new byte[all.length][];
        for (E e : all) {
            out[e.ordinal()] = ascii(text.apply(e));
        }
        return out;
    }

    @Override
    public void connection(ConnectionReport r) {
        connection(r, CONNECTION);
    }

    /** A {@code connection_update}: every field of a connection record, the final report replacing the earlier one. */
    @Override
    public void update(ConnectionReport r) {
        connection(r, CONNECTION_UPDATE);
    }

    private void connection(ConnectionReport r, byte[] start) {
        startLine();
        put(start);
        num(r.id());
        endpoint(CLIENT, r.client());
        endpoint(SERVER, r.server());
        put(OPENER[r.opener().ordinal()]);
        time(r.firstNanos());
        put(LAST_TS);
        time(r.lastNanos());
        put(HANDSHAKE[r.handshake().ordinal()]);
        put(CLOSE[r.close().ordinal()]);
        Side firstFin = r.firstFin().orElse(null);
        put(firstFin == null ? FIRST_FIN_NULL : FIRST_FIN[firstFin.ordinal()]);
        if (r.halfClose().isPresent()) {
            var h = r.halfClose().get();
            raw(",\"half_close\":{\"by\":");
            name(h.by().jsonName());
            raw(",\"from\":");
            time(h.fromNanos());
            raw(",\"to\":");
            if (h.toNanos().isPresent()) time(h.toNanos().getAsLong()); else raw("null");
            raw(",\"bytes_after\":");
            num(h.bytesAfter());
            raw("},\"resets\":[");
        } else {
            put(HALF_CLOSE_NULL_RESETS);
        }
        List<Reset> resets = r.resets();
        for (int i = 0; i < resets.size(); i++) {
            Reset x = resets.get(i);
            raw(i == 0 ? "{\"by\":" : ",{\"by\":");
            name(x.by().jsonName());
            raw(",\"at\":");
            time(x.atNanos());
            raw(",\"frame\":");
            num(x.frame());
            raw(",\"sender_state\":");
            name(x.senderState().name());
            raw(",\"with_ack\":");
            bool(x.withAck());
            raw(",\"acceptable\":");
            bool(x.acceptable());
            raw(",\"cause\":");
            name(x.cause().jsonName());
            raw(",\"sender_window\":");
            if (x.senderWindow() == null) {
                raw("null");
            } else {
                raw("{\"last\":");
                num(x.senderWindow().last());
                raw(",\"max\":");
                num(x.senderWindow().max());
                raw("}");
            }
            raw("}");
        }
        put(TIME_WAITS);
        List<TimeWaitWindow> windows = r.timeWait();
        for (int i = 0; i < windows.size(); i++) {
            TimeWaitWindow w = windows.get(i);
            put((i == 0 ? TIME_WAIT_FIRST : TIME_WAIT_NEXT)[w.side().ordinal()]);
            time(w.fromNanos());
            put(UNTIL);
            time(w.untilNanos());
            put(ENDED_BY[w.endedBy().ordinal()]);
            time(w.endedAtNanos());
            raw("}");
        }
        if (r.reuse().isPresent()) {
            var u = r.reuse().get();
            raw("],\"reuse\":{\"previous_id\":");
            num(u.previousId());
            raw(",\"in_time_wait_of\":");
            if (u.inTimeWaitOf() != null) name(u.inTimeWaitOf().jsonName()); else raw("null");
            raw(",\"legal\":");
            bool(u.legal());
            raw(",\"reason\":");
            str(u.reason());
            raw("},\"sides\":{");
        } else {
            put(REUSE_NULL_SIDES);
        }
        side(SIDE_CLIENT, r.clientSide());
        put(END_OF_SIDE);
        side(SIDE_SERVER, r.serverSide());
        put(COUNTS_CLIENT);
        counts(r.clientSide().counts());
        put(COUNTS_SERVER);
        counts(r.serverSide().counts());
        put(ZEEK);
        str(r.zeek().connState());
        put(HISTORY);
        str(r.zeek().history());
        put(COMPLETENESS);
        num(r.completeness());
        put(ANOMALIES);
        List<Anomaly> anomalies = r.anomalies();
        for (int i = 0; i < anomalies.size(); i++) {
            Anomaly a = anomalies.get(i);
            raw(i == 0 ? "{\"kind\":" : ",{\"kind\":");
            str(a.kind().jsonName());
            raw(",\"frame\":");
            num(a.frame());
            raw(",\"at\":");
            time(a.atNanos());
            raw(",\"detail\":");
            str(a.detail());
            raw("}");
        }
        put(END_OF_LINE);
        emit();
    }

    /** An endpoint after {@code start} (its key and {@code {"ip":}). */
    private void endpoint(byte[] start, Endpoint e) {
        put(start);
        address(e.ip());
        put(PORT);
        num(e.port());
        room(1);
        buf[len++] = '}';
    }

    private void endpoint(String name, Endpoint e) {
        raw(name);
        raw("{\"ip\":");
        address(e.ip());
        raw(",\"port\":");
        num(e.port());
        raw("}");
    }

    private void address(IpAddress ip) {
        if (ip.v6()) {
            put(v6Text(ip));
        } else {
            // The dotted quad of IpAddress.toString, without building the string.
            int a = (int) ip.lo();
            room(17);
            byte[] b = buf;
            int p = len;
            b[p++] = '"';
            p = Decimal.small(b, p, (a >>> 24) & 0xFF);
            b[p++] = '.';
            p = Decimal.small(b, p, (a >>> 16) & 0xFF);
            b[p++] = '.';
            p = Decimal.small(b, p, (a >>> 8) & 0xFF);
            b[p++] = '.';
            p = Decimal.small(b, p, a & 0xFF);
            b[p++] = '"';
            len = p;
        }
    }

    /**
     * The quoted text of an IPv6 address, from a small cache: {@link IpAddress#toString} builds it through a
     * StringBuilder and a hex string per group (a tenth of the generator's connections are IPv6, and the
     * text of their addresses was a sixth of the report thread's allocation). The text is ASCII, nothing to
     * escape. The cache is shared by every writer (analyzer-flink makes one per line) and safe to race on:
     * an entry is immutable (final fields), a lost or torn-over slot only costs the text again.
     */
    private static byte[] v6Text(IpAddress ip) {
        int slot = (int) ((ip.hi() * 0x9E3779B97F4A7C15L + ip.lo()) * 0xBF58476D1CE4E5B9L >>> (64 - V6_CACHE_BITS));
        V6Text e = V6_TEXTS[slot];
        if (e == null || e.hi != ip.hi() || e.lo != ip.lo()) {
            e = new V6Text(ip.hi(), ip.lo(), ascii("\"" + ip + "\""));
            V6_TEXTS[slot] = e;
        }
        return e.text;
    }

    private static final int V6_CACHE_BITS = 14; // 16,384 slots: the 10 M capture has some 3,500 IPv6 hosts
    private static final V6Text[] V6_TEXTS = new V6Text[1 << V6_CACHE_BITS];

    private record V6Text(long hi, long lo, byte[] text) {
    }

    /** A side's final state and transitions, after its key; the closing brackets are the caller's. */
    private void side(byte[][] start, SideReport s) {
        put(start[s.finalState().ordinal()]);
        int n = s.transitions().size();
        for (int i = 0; i < n; i++) { // field by field: no Transition made
            put((i == 0 ? TRANSITION_FIRST : TRANSITION_NEXT)[s.stateAt(i).ordinal()]);
            time(s.atNanosAt(i));
            put(FRAME);
            num(s.frameAt(i));
            put(s.inferredAt(i) ? INFERRED : OBSERVED);
        }
    }

    /** A side's counts after {@code "packets":}; closes its object. */
    private void counts(SideCounts c) {
        num(c.packets());
        put(PAYLOAD_BYTES);
        num(c.payloadBytes());
        put(SYN);
        num(c.syn());
        put(SYNACK);
        num(c.synAck());
        put(FIN);
        num(c.fin());
        put(RST);
        num(c.rst());
        put(RETRANSMISSIONS);
        num(c.retransmissions());
        put(DUPLICATES);
        num(c.duplicates());
        room(1);
        buf[len++] = '}';
    }

    /** One {@code service} line per server endpoint, one {@code host} line per address, then the {@code series}. */
    @Override
    public void diagnosis(DiagnosisResult d) {
        for (ServiceRecord s : d.services()) {
            startLine();
            raw("{\"type\":\"service\"");
            service(s);
        }
        for (HostRecord h : d.hosts()) {
            startLine();
            raw("{\"type\":\"host\"");
            host(h);
        }
        unrecorded(d);
        series(d);
    }

    /** Only when the cap on records was reached: what is in no service or host record. */
    private void unrecorded(DiagnosisResult d) {
        if (!d.capped()) {
            return;
        }
        startLine();
        raw("{\"type\":\"unrecorded\",\"connections_without_service\":");
        num(d.connectionsWithoutService());
        raw(",\"ends_without_host\":");
        num(d.endsWithoutHost());
        raw("}\n");
        emit();
    }

    /**
     * A live capture's summary so far ({@code --summary-every}): an {@code interim_service} and an
     * {@code interim_host} line per service and host, as the final records but with {@code as_of} (no
     * series), then one {@code interim} line with the counts and every finding, worst first.
     */
    @Override
    public void interim(Interim soFar) {
        DiagnosisResult d = soFar.diagnosis();
        for (ServiceRecord s : d.services()) {
            startLine();
            raw("{\"type\":\"interim_service\",\"as_of\":");
            time(soFar.asOfNanos());
            service(s);
        }
        for (HostRecord h : d.hosts()) {
            startLine();
            raw("{\"type\":\"interim_host\",\"as_of\":");
            time(soFar.asOfNanos());
            host(h);
        }
        startLine();
        raw("{\"type\":\"interim\",\"as_of\":");
        time(soFar.asOfNanos());
        raw(",\"connections\":{\"finished\":");
        num(soFar.finished());
        raw(",\"tracked\":");
        num(soFar.tracked());
        raw("},\"findings\":");
        findings(d.findings(), true);
        raw("}\n");
        emit();
    }

    /** The fields of a service line after its type (and as_of). */
    private void service(ServiceRecord s) {
        endpoint(",\"server\":", s.server());
        raw(",\"connections\":");
        num(s.connections());
        raw(",\"clients\":");
        num(s.clients());
        raw(",\"clients_exact\":");
        bool(s.clientsExact());
        raw(",\"handshake\":{");
        boolean first = true;
        for (var e : s.handshake().entrySet()) {
            first = pair(first, e.getKey().jsonName(), e.getValue());
        }
        raw("},\"close\":{");
        first = true;
        for (var e : s.close().entrySet()) {
            first = pair(first, e.getKey().jsonName(), e.getValue());
        }
        raw("},\"first_fin\":{\"client\":");
        num(s.firstFin().client());
        raw(",\"server\":");
        num(s.firstFin().server());
        raw(",\"none\":");
        num(s.firstFin().none());
        raw("},\"resets\":{");
        boolean firstSide = true;
        for (var side : s.resets().entrySet()) {
            raw(firstSide ? "" : ",");
            firstSide = false;
            name(side.getKey().jsonName());
            raw(":{");
            first = true;
            for (var e : side.getValue().entrySet()) {
                first = pair(first, e.getKey().jsonName(), e.getValue());
            }
            raw("}");
        }
        raw("},\"time_wait\":{\"client\":");
        num(s.timeWait().client());
        raw(",\"server\":");
        num(s.timeWait().server());
        raw(",\"peak_concurrent\":{\"client\":");
        numOrNull(s.timeWait().peakClient());
        raw(",\"server\":");
        numOrNull(s.timeWait().peakServer());
        raw("}},\"close_wait\":{\"connections\":");
        num(s.closeWait().connections());
        raw(",\"max_seconds\":");
        raw(decimal(s.closeWait().maxSeconds(), 6));
        raw(",\"open_at_end\":");
        num(s.closeWait().openAtEnd());
        raw("},\"findings\":");
        findings(s.findings(), false);
        raw("}\n");
        emit();
    }

    /** The fields of a host line after its type (and as_of). */
    private void host(HostRecord h) {
        raw(",\"ip\":");
        str(h.ip().toString());
        raw(",\"role\":");
        name(h.role().jsonName());
        raw(",\"connections\":{\"as_client\":");
        num(h.asClient());
        raw(",\"as_server\":");
        num(h.asServer());
        raw("},\"peak_concurrent\":{\"time_wait\":");
        numOrNull(h.peakTimeWait());
        raw(",\"close_wait\":");
        numOrNull(h.peakCloseWait());
        raw("},\"resets_sent\":{");
        boolean first = true;
        for (var e : h.resetsSent().entrySet()) {
            first = pair(first, e.getKey().jsonName(), e.getValue());
        }
        raw("},\"findings\":");
        findings(h.findings(), true);
        raw("}\n");
        emit();
    }

    private void series(DiagnosisResult d) {
        for (Series x : d.series()) {
            startLine();
            raw("{\"type\":\"series\",\"service\":");
            if (x.service() != null) endpoint("", x.service()); else raw("null");
            raw(",\"host\":");
            if (x.host() != null) str(x.host().toString()); else raw("null");
            raw(",\"start\":");
            time(x.startNanos());
            raw(",\"step\":");
            raw(java.math.BigDecimal.valueOf(x.stepNanos(), 9).stripTrailingZeros().toPlainString());
            raw(",\"points\":");
            num(x.values(SeriesState.ESTABLISHED).length);
            for (SeriesState state : SeriesState.values()) {
                raw(",");
                name(state.jsonName());
                raw(":[");
                double[] v = x.values(state);
                for (int i = 0; i < v.length; i++) {
                    if (i > 0) raw(",");
                    raw(decimal(v[i], 3));
                }
                raw("]");
            }
            raw("}\n");
            emit();
        }
    }

    private boolean pair(boolean first, String key, long value) {
        if (!first) raw(",");
        name(key);
        raw(":");
        num(value);
        return false;
    }

    private void numOrNull(Long v) {
        if (v == null) raw("null"); else num(v);
    }

    private void findings(java.util.List<Finding> findings, boolean withService) {
        raw("[");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            raw(i == 0 ? "{\"kind\":" : ",{\"kind\":");
            name(f.kind().jsonName());
            raw(",\"severity\":");
            name(f.severity().jsonName());
            raw(",\"side\":");
            if (f.side() != null) name(f.side().jsonName()); else raw("null");
            if (withService) {
                raw(",\"service\":");
                if (f.service() != null) endpoint("", f.service()); else raw("null");
            }
            raw(",\"count\":");
            num(f.count());
            raw(",\"share\":");
            raw(decimal(f.share(), 4));
            raw(",\"examples\":[");
            for (int j = 0; j < f.examples().size(); j++) {
                if (j > 0) raw(",");
                num(f.examples().get(j));
            }
            raw("],\"explanation\":");
            str(f.explanation());
            raw("}");
        }
        raw("]");
    }

    /** A plain decimal with at most {@code scale} digits after the point, no trailing zeros ({@code 0}, {@code 1.5}). */
    static String decimal(double v, int scale) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).setScale(scale, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    @Override
    public void end(CaptureSummary s) {
        startLine();
        raw("{\"type\":\"summary\",\"frames\":");
        num(s.frames());
        raw(",\"tcp_segments\":");
        num(s.tcpSegments());
        raw(",\"connections\":");
        num(s.connections());
        raw(",\"malformed\":");
        num(s.malformed());
        raw(",\"non_tcp\":");
        num(s.nonTcp());
        raw(",\"problems\":{");
        boolean first = true;
        for (Map.Entry<DecodeProblem, Long> e : s.problems().entrySet()) {
            if (!first) raw(",");
            first = false;
            str(e.getKey().text());
            raw(":");
            num(e.getValue());
        }
        raw("},\"input_error\":");
        if (s.inputError() != null) str(s.inputError()); else raw("null");
        raw("}\n");
        emit();
        try {
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line starts: at the start of the buffer, or (gathering) after the lines kept. */
    private void startLine() {
        if (gather == 0) {
            len = 0;
        }
    }

    /** The line is complete: out it goes (gathering: once enough lines are). */
    private void emit() {
        try {
            if (byteOut != null) {
                if (len >= gather) {
                    byteOut.write(buf, 0, len);
                    len = 0;
                }
            } else {
                textOut.write(new String(buf, 0, len, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the text ----

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** Text known to be ASCII (names, literals, digits): one byte per char. */
    private void raw(String s) {
        int n = s.length();
        room(n);
        ascii(s, n);
    }

    /** A piece of fixed text, already bytes. */
    private void put(byte[] piece) {
        int n = piece.length;
        room(n);
        System.arraycopy(piece, 0, buf, len, n);
        len += n;
    }

    /**
     * Copies the first {@code n} chars of an ASCII string as bytes. The deprecated
     * {@link String#getBytes(int, int, byte[], int)} keeps the low 8 bits of each char, exactly right
     * for ASCII, and for a Latin-1 string it is one array copy.
     */
    @SuppressWarnings("deprecation")
    private void ascii(String s, int n) {
        s.getBytes(0, n, buf, len);
        len += n;
    }

    private void bool(boolean b) {
        raw(b ? "true" : "false");
    }

    /**
     * A name we make ourselves (an enum's name or JSON name: letters, digits, underscores), so nothing
     * to escape: most strings of a line are these, and the escaping scan of {@link #str} showed in profiles.
     */
    private void name(String s) {
        int n = s.length();
        room(n + 2);
        buf[len++] = '"';
        ascii(s, n);
        buf[len++] = '"';
    }

    /** A JSON string. Printable ASCII other than quote and backslash is copied; the rest is escaped as Jackson does. */
    private void str(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                room(2);
                buf[len++] = '"';
                byte[] quoted = escaped(s).getBytes(StandardCharsets.UTF_8);
                room(quoted.length + 1);
                System.arraycopy(quoted, 0, buf, len, quoted.length);
                len += quoted.length;
                buf[len++] = '"';
                return;
            }
        }
        room(n + 2);
        buf[len++] = '"';
        ascii(s, n);
        buf[len++] = '"';
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * The inside of a JSON string, escaped as Jackson's generator did (the JSONL contract's bytes):
     * quote and backslash with a backslash; backspace, tab, newline, form feed and carriage return as
     * {@code \b \t \n \f \r}; other control characters as a six-character "u00XX" escape (upper-case hex); everything
     * else, DEL and non-ASCII included, as it is (written as UTF-8).
     */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A decimal integer. */
    private void num(long v) {
        room(Decimal.MAX_LONG);
        len = Decimal.write(buf, len, v);
    }

    /**
     * Epoch seconds as {@link Times#epochSeconds} prints them: a plain decimal with 6 digits after the
     * point when the time is whole microseconds, else 9. Times before 1 s (where BigDecimal may switch
     * to exponent notation) go through BigDecimal itself.
     */
    private void time(long nanos) {
        if (nanos < 1_000_000_000L) {
            raw(Times.epochSeconds(nanos).toString());
            return;
        }
        room(Decimal.MAX_EPOCH_SECONDS);
        len = seconds.write(buf, len, nanos);
    }
}
