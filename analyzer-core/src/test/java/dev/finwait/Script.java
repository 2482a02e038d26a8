package dev.finwait;
import dev.finwait.model.AnalyzerConfig;

import dev.finwait.event.AnalysisListener;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Side;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpFlags;
import dev.finwait.tcp.TcpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A tiny DSL for hand-built TCP conversations. Sequence and acknowledgement numbers are tracked
 * for both sides: every segment after the sender's SYN acknowledges all the peer has sent so far,
 * unless told otherwise. Segments are 1 ms apart unless {@link #after(Duration)} moves the clock.
 * <pre>
 *   Script.between("10.0.0.1:40000", "10.0.0.2:80").syn().synAck().ack(CLIENT)
 *         .data(CLIENT, 100).fin(CLIENT).ack(SERVER).fin(SERVER).ack(CLIENT)
 * </pre>
 */
public final class Script {
    public static final long T0 = 1_700_000_000_000_000_000L;
    public static final Side CLIENT = Side.CLIENT;
    public static final Side SERVER = Side.SERVER;

    private final Endpoint client;
    private final Endpoint server;
    private final int[] nxt = new int[2];
    private final boolean[] synSent = new boolean[2];
    private final int[] ipId = {100, 200}; // each sender numbers its packets, as IPv4 does
    private final List<Segment> segments = new ArrayList<>();
    private long now = T0;
    private long frame;

    private Script(Endpoint client, Endpoint server, int clientIsn, int serverIsn) {
        this.client = client;
        this.server = server;
        nxt[0] = clientIsn;
        nxt[1] = serverIsn;
    }

    public static Script between(String client, String server) {
        return new Script(parse(client), parse(server), 1000, 5000);
    }

    /** A new conversation on the same 4-tuple continuing this one's clock and frame numbers. */
    public Script reconnect(int clientIsn, int serverIsn) {
        Script next = new Script(client, server, clientIsn, serverIsn);
        next.now = now;
        next.frame = frame;
        next.segments.addAll(segments);
        return next;
    }

    private static Endpoint parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return Endpoint.of(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public Script isn(Side side, int isn) {
        nxt[side.ordinal()] = isn;
        return this;
    }

    public Script after(Duration d) {
        now += d.toNanos() - 1_000_000L;
        return this;
    }

    public Script syn() {
        return send(CLIENT, TcpFlags.SYN, 0, null);
    }

    /** The server's SYN without ACK (simultaneous open). */
    public Script synFrom(Side side) {
        return send(side, TcpFlags.SYN, 0, null);
    }

    public Script synAck() {
        return send(SERVER, TcpFlags.SYN | TcpFlags.ACK, 0, null);
    }

    public Script synAckFrom(Side side) {
        return send(side, TcpFlags.SYN | TcpFlags.ACK, 0, null);
    }

    public Script ack(Side from) {
        return send(from, TcpFlags.ACK, 0, null);
    }

    public Script data(Side from, int bytes) {
        return send(from, TcpFlags.ACK | TcpFlags.PSH, bytes, null);
    }

    public Script fin(Side from) {
        return send(from, TcpFlags.FIN | TcpFlags.ACK, 0, null);
    }

    /** A FIN whose ACK does not cover the peer's FIN (it was sent before that FIN arrived). */
    public Script finNotAckingPeerFin(Side from) {
        return send(from, TcpFlags.FIN | TcpFlags.ACK, 0, nxt[from.opposite().ordinal()] - 1);
    }

    public Script dataFin(Side from, int bytes) {
        return send(from, TcpFlags.FIN | TcpFlags.ACK | TcpFlags.PSH, bytes, null);
    }

    public Script rst(Side from) {
        return send(from, TcpFlags.RST | TcpFlags.ACK, 0, null);
    }

    public Script rstNoAck(Side from) {
        return send(from, TcpFlags.RST, 0, null);
    }

    /** A RST whose sequence number is far outside the receiver's window (forged or stale). */
    public Script rstOutOfWindow(Side from) {
        Segment s = build(from, TcpFlags.RST, nxt[from.ordinal()] + 100_000_000, 0, 0);
        segments.add(s);
        return this;
    }

    /**
     * A RST {@code offset} bytes past the sender's next sequence number, with or without ACK: inside the
     * receiver's window but not where it expects (RFC 5961 3.2), or exact when {@code offset} is 0.
     */
    public Script rstAt(Side from, int offset, boolean withAck) {
        int flags = TcpFlags.RST | (withAck ? TcpFlags.ACK : 0);
        segments.add(build(from, flags, nxt[from.ordinal()] + offset, withAck ? nxt[from.opposite().ordinal()] : 0, 0));
        return this;
    }

    /** Sends again a copy of segment {@code index} (0-based) with a new frame number and time. */
    public Script retransmit(int index) {
        Segment o = segments.get(index);
        segments.add(new Segment(++frame, now += 1_000_000L, o.src(), o.dst(), o.flags(), o.seq(), o.ack(),
                o.window(), o.payloadLength(), o.options(), o.checksum()));
        return this;
    }

    /** A keepalive probe: SND.NXT - 1 with {@code bytes} (0 or 1) bytes, acknowledging the peer. */
    public Script keepalive(Side from, int bytes) {
        int i = from.ordinal();
        segments.add(build(from, TcpFlags.ACK, nxt[i] - 1, nxt[from.opposite().ordinal()], bytes));
        return this;
    }

    /** A pure ACK offering a window of {@code window} bytes (0: the zero window). */
    public Script ackWindow(Side from, int window) {
        Segment o = build(from, TcpFlags.ACK, nxt[from.ordinal()], nxt[from.opposite().ordinal()], 0);
        segments.add(new Segment(o.frame(), o.timeNanos(), o.src(), o.dst(), o.flags(), o.seq(), o.ack(), window,
                0, o.options(), o.checksum(), 0, o.ipId()));
        return this;
    }

    /** A zero-window probe: one byte at SND.NXT that the sender does not count as sent. */
    public Script zeroWindowProbe(Side from) {
        segments.add(build(from, TcpFlags.ACK, nxt[from.ordinal()], nxt[from.opposite().ordinal()], 1));
        return this;
    }

    /** The last segment captured a second time: the same packet, IPv4 id included (a duplicating network). */
    public Script duplicateLast() {
        Segment o = segments.get(segments.size() - 1);
        segments.add(new Segment(++frame, now += 1_000L, o.src(), o.dst(), o.flags(), o.seq(), o.ack(),
                o.window(), o.payloadLength(), o.options(), o.checksum(), o.ipLength(), o.ipId()));
        return this;
    }

    public Script retransmitLast() {
        return retransmit(segments.size() - 1);
    }

    /** The client's SYN carrying {@code bytes} of data (TCP Fast Open). */
    public Script synData(int bytes) {
        return send(CLIENT, TcpFlags.SYN, bytes, null);
    }

    /** A SYN-ACK acknowledging only the client's SYN, not the {@code bytes} its SYN carried (Fast Open refused). */
    public Script synAckNotAckingData(int bytes) {
        return send(SERVER, TcpFlags.SYN | TcpFlags.ACK, 0, nxt[CLIENT.ordinal()] - bytes);
    }

    /** The client sends again the {@code bytes} its SYN carried, now after the handshake (a retransmission). */
    public Script resendSynData(int bytes) {
        segments.add(build(CLIENT, TcpFlags.ACK | TcpFlags.PSH, nxt[CLIENT.ordinal()] - bytes, nxt[SERVER.ordinal()], bytes));
        return this;
    }

    /** Data whose ACK does not cover the peer's FIN: sent before that FIN arrived. */
    public Script dataNotAckingPeerFin(Side from, int bytes) {
        return send(from, TcpFlags.ACK | TcpFlags.PSH, bytes, nxt[from.opposite().ordinal()] - 1);
    }

    /** A pure ACK {@code behind} sequence numbers short of everything the peer sent (a duplicate ACK below a hole). */
    public Script ackBehind(Side from, int behind) {
        return send(from, TcpFlags.ACK, 0, nxt[from.opposite().ordinal()] - behind);
    }

    private final List<Segment> held = new ArrayList<>();

    /**
     * A data segment the sender sends now (its sequence numbers and IPv4 id are taken now) that the capture
     * point does not see yet: {@link #release()} shows it later, as a reordering network delivers it.
     */
    public Script hold(Side from, int bytes) {
        int i = from.ordinal();
        Segment s = build(from, TcpFlags.ACK | TcpFlags.PSH, nxt[i], nxt[from.opposite().ordinal()], bytes);
        frame--; // not captured now
        held.add(s);
        nxt[i] += bytes;
        return this;
    }

    /** The oldest held segment reaches the capture point now, as it was sent (same IPv4 id). */
    public Script release() {
        Segment o = held.remove(0);
        segments.add(new Segment(++frame, now += 1_000_000L, o.src(), o.dst(), o.flags(), o.seq(), o.ack(),
                o.window(), o.payloadLength(), o.options(), o.checksum(), o.ipLength(), o.ipId()));
        return this;
    }

    /** The oldest held segment was lost before the capture point; its sender sends it again now (a new IPv4 id). */
    public Script resendHeld() {
        Segment o = held.remove(0);
        Side from = o.src().equals(client) ? CLIENT : SERVER;
        segments.add(new Segment(++frame, now += 1_000_000L, o.src(), o.dst(), o.flags(), o.seq(),
                nxt[from.opposite().ordinal()], o.window(), o.payloadLength(), o.options(), o.checksum(), 0,
                ++ipId[from.ordinal()]));
        return this;
    }

    /** Sends again a copy of segment {@code index} exactly as it was, IPv4 id included (an old duplicate). */
    public Script replay(int index) {
        Segment o = segments.get(index);
        segments.add(new Segment(++frame, now += 1_000_000L, o.src(), o.dst(), o.flags(), o.seq(), o.ack(),
                o.window(), o.payloadLength(), o.options(), o.checksum(), o.ipLength(), o.ipId()));
        return this;
    }

    private Script send(Side from, int flags, int len, Integer ackOverride) {
        int i = from.ordinal();
        int seq = nxt[i];
        int peer = from.opposite().ordinal();
        boolean ack = (flags & TcpFlags.ACK) != 0;
        int ackNo = ack ? (ackOverride != null ? ackOverride : nxt[peer]) : 0;
        segments.add(build(from, flags, seq, ackNo, len));
        if ((flags & TcpFlags.SYN) != 0) synSent[i] = true;
        if ((flags & TcpFlags.RST) == 0) {
            nxt[i] = seq + len + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
        }
        return this;
    }

    private Segment build(Side from, int flags, int seq, int ack, int len) {
        Endpoint src = from == CLIENT ? client : server;
        Endpoint dst = from == CLIENT ? server : client;
        return new Segment(++frame, now += 1_000_000L, src, dst, flags, seq, ack, 65535, len, TcpOptions.NONE,
                Segment.Checksum.UNCHECKED, 0, ++ipId[from.ordinal()]);
    }

    public List<Segment> segments() {
        return List.copyOf(segments);
    }

    public long time(int index) {
        return segments.get(index).timeNanos();
    }

    public Run run() {
        return run(AnalyzerConfig.defaults());
    }

    public Run run(AnalyzerConfig config) {
        return run(config, segments);
    }

    /** The segments of several scripts as one capture, in time order (a stable sort: at equal times, in the scripts' order). */
    public static List<Segment> merged(Script... scripts) {
        List<Segment> all = new ArrayList<>();
        for (Script s : scripts) all.addAll(s.segments());
        all.sort(Comparator.comparingLong(Segment::timeNanos));
        return all;
    }

    public static Run run(AnalyzerConfig config, List<Segment> segments) {
        List<ConnectionEvent> events = new ArrayList<>();
        List<Object> timeline = new ArrayList<>();
        Analyzer analyzer = Analyzer.builder(config).eventListener(new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent e) {
                events.add(e);
                timeline.add(e);
            }

            @Override
            public void onConnection(ConnectionReport r) {
                timeline.add(r);
            }
        }).build();
        segments.forEach(analyzer::accept);
        AnalysisResult result = analyzer.finish();
        return new Run(result, events, timeline);
    }

    /** What one run produced; {@code timeline} holds the events and the finished reports in delivery order. */
    public record Run(AnalysisResult result, List<ConnectionEvent> events, List<Object> timeline) {
        public ConnectionReport only() {
            if (result.connections().size() != 1) {
                throw new AssertionError("expected one connection, got " + result.connections().size());
            }
            return result.connections().get(0);
        }

        public ConnectionReport connection(int id) {
            return result.connections().get(id - 1);
        }
    }
}
