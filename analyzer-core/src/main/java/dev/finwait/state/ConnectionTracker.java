package dev.finwait.state;
import dev.finwait.model.TcpState;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Anomaly;
import dev.finwait.model.AnomalyKind;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Opener;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Reuse;
import dev.finwait.model.Side;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.snapshot.SnapshotFormatException;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.OptionalLong;

/**
 * One incarnation of a 4-tuple: both sides' machines, fed one segment at a time in capture order.
 *
 * <p>The capture point sees a segment leave its sender, not reach its receiver. So a side's
 * <em>send</em> stimuli apply at once, while the receipt of the peer's SYN or FIN is held as
 * pending until the side shows it: its own segment acknowledges it, or a later segment from the
 * peer has to have arrived first (TCP delivers in order). A side whose FIN does not acknowledge
 * the peer's FIN had not received it: that is how a simultaneous close is told from a 3-way close
 * at the capture point. Receipts never shown are applied at the end, marked inferred.
 */
public final class ConnectionTracker {
    private static final Side[] SIDES = Side.values(); // values() clones the array on every call
    private final long id;
    private final FlowKey key;
    private final Endpoint client;
    private final Endpoint server;
    // The client's and server's ports (16 bits each): sideOf compares ports when they differ, without
    // reading the (cold) address objects.
    private final int ports;
    private final Opener opener;
    private final long timeWaitNanos;
    private final boolean emitSegments;
    private final boolean skipBadChecksums;
    // Null when nobody registered for events (the CLI's file reports): no event objects are built.
    private final Consumer<ConnectionEvent> events;
    private SideTracker clientSide = new SideTracker(); // replaced only when restored from a snapshot
    private SideTracker serverSide = new SideTracker();
    // Created on first use: most connections never have a reset or an anomaly.
    private List<Reset> resets;
    private List<TimeWaitWindow> timeWaits;
    private List<Anomaly> anomalies;
    private final long firstNanos;
    private final long firstFrame;
    private long lastNanos;
    private Reuse reuse;

    private Side firstFin;
    private long halfCloseBytes;
    // TCP Fast Open (RFC 7413): payload bytes on the client's SYN (FAST_OPEN: whether the SYN-ACK acknowledged them).
    private int synDataBytes;
    // RSTs into TIME_WAIT (see RstIntoTimeWait); null until one comes, as for nearly every connection.
    private RstIntoTimeWait twRst;

    // Each side's open TIME_WAIT window: entry time (Long.MIN_VALUE when none) and current end, which a
    // FIN the peer sends again pushes back (RFC 9293 3.10.7.4: "restart the 2 MSL timeout"). Fields
    // rather than arrays: the flow table's timer pass reads them for every wake-up.
    private long twFromClient = Long.MIN_VALUE;
    private long twFromServer = Long.MIN_VALUE;
    private long twUntilClient = Long.MIN_VALUE;
    private long twUntilServer = Long.MIN_VALUE;

    // What the packets showed, one bit each (11 boolean fields took 11 bytes of every connection):
    private short flags;
    // the second FIN carried the first ACK of the first FIN; the half-close event told;
    private static final int SECOND_FIN_PIGGYBACKED = 1;
    private static final int HALF_CLOSE_ANNOUNCED = 1 << 1;
    // a SYN answered by RST; a RST the receiver would take sent;
    private static final int REFUSED = 1 << 2;
    private static final int ACCEPTABLE_RST_SEEN = 1 << 3;
    // the client's SYN, the server's SYN, a SYN-ACK captured; both sides sent a bare SYN; the SYN inferred;
    private static final int CLIENT_SYN_SEEN = 1 << 4;
    private static final int SERVER_SYN_SEEN = 1 << 5;
    private static final int SYN_ACK_SEEN = 1 << 6;
    private static final int SIMULTANEOUS_OPEN = 1 << 7;
    private static final int SYN_NOT_SEEN = 1 << 8;
    // the SYN-ACK acknowledged the data on the SYN (TCP Fast Open);
    private static final int FAST_OPEN = 1 << 9;
    // finish() has run: lets the flow table drop stale timer entries without a hash lookup.
    private static final int FINISHED = 1 << 10;

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (short) (on ? flags | flag : flags & ~flag);
    }

    /**
     * A RST that ended a TIME_WAIT window, kept until a later packet judges it: the side whose window it was
     * (null: none), that window, and the reset's place in the list; and the sides shown to ignore RSTs in
     * TIME_WAIT (RFC 1337, Linux's tcp_rfc1337 = 1): a bit per side ordinal. Apart from the tracker because
     * few connections ever have one (29 bytes less for every other connection).
     */
    private static final class RstIntoTimeWait {
        private Side victim;
        private long from;
        private long until;
        private int index;
        // Whether the peer sent anything after that RST. Only an answer captured after such a segment proves
        // the window survived: near the RST's sender, a segment the TIME_WAIT side sent before the RST reached
        // it (an ACK crossing the RST) is captured after the RST and proves nothing.
        private boolean probed;
        private int ignoring;
    }

    /** The RST-into-TIME_WAIT record, made on first use. */
    private RstIntoTimeWait twRst() {
        if (twRst == null) {
            twRst = new RstIntoTimeWait();
        }
        return twRst;
    }

    /** The side whose TIME_WAIT a RST ended, still to be judged; null when none. */
    private Side twRstVictim() {
        return twRst == null ? null : twRst.victim;
    }

    /** A new incarnation whose roles are already decided (see {@link Incarnations#open}); {@code events} is null
     * when nobody listens for events, and then none is built.
     */
    public ConnectionTracker(long id, FlowKey key, Endpoint client, Endpoint server, Opener opener,
                             long firstNanos, long firstFrame, long timeWaitNanos, boolean emitSegments,
                             boolean skipBadChecksums, Consumer<ConnectionEvent> events) {
        this.id = id;
        this.key = key;
        this.client = client;
        this.server = server;
        this.ports = client.port() << 16 | server.port();
        this.opener = opener;
        this.firstNanos = firstNanos;
        this.firstFrame = firstFrame;
        this.lastNanos = firstNanos;
        this.timeWaitNanos = timeWaitNanos;
        this.emitSegments = emitSegments;
        this.skipBadChecksums = skipBadChecksums;
        this.events = events;
    }

    /**
     * Reads a few fields across this object so that it is in the cache when the next segment comes (a
     * flow table warming a batch); the result means nothing.
     */
    public long touch() {
        return id + twUntilServer + synDataBytes + (twRst == null ? 0 : 1);
    }

    /** {@link #touch} for both sides' machines and the client's address; the result means nothing. */
    public long touchParts() {
        return clientSide.touch() + serverSide.touch();
    }

    /** {@return the connection's id} */
    public long id() {
        return id;
    }

    /** {@return its 4-tuple} */
    public FlowKey key() {
        return key;
    }

    /** {@return the side taken as client} */
    public Endpoint client() {
        return client;
    }

    /** {@return the side taken as server} */
    public Endpoint server() {
        return server;
    }

    /** {@return capture time of its last segment} */
    public long lastNanos() {
        return lastNanos;
    }

    /** {@return the state machine of {@code side}} */
    public SideTracker side(Side side) {
        return side == Side.CLIENT ? clientSide : serverSide;
    }

    /** {@return which side {@code sender}, one of this connection's two endpoints, is} */
    public Side sideOf(Endpoint sender) {
        int clientPort = ports >>> 16;
        if (clientPort != (ports & 0xFFFF)) {
            return sender.port() == clientPort ? Side.CLIENT : Side.SERVER;
        }
        return sender.equals(client) ? Side.CLIENT : Side.SERVER;
    }

    /** Records that this incarnation reuses an earlier one's 4-tuple, and tells the event listener. */
    public void markReuse(Reuse r) {
        this.reuse = r;
        if (events != null) events.accept(new ConnectionEvent.TupleReused(id, key, firstNanos, r));
    }

    /** Feeds one segment of this connection, in capture order. */
    public void onSegment(Segment s) {
        lastNanos = Math.max(lastNanos, s.timeNanos());
        Side from = sideOf(s.src());
        if (s.checksum() == Segment.Checksum.BAD && skipBadChecksums) {
            side(from).countOnly(s);
            anomaly(AnomalyKind.BAD_CHECKSUM, s.frame(), s.timeNanos(), "segment ignored by the state machine");
            return;
        }
        Side to = from.opposite();
        SideTracker x = side(from);
        SideTracker y = side(to);
        long t = s.timeNanos();
        long frame = s.frame();
        if (x.duplicate(s)) {
            // The same packet captured twice: one segment for the machine, counted apart.
            if (emitSegments && events != null) {
                events.accept(new ConnectionEvent.SegmentSeen(id, key, t, from, s, clientSide.state(),
                        serverSide.state(), false));
            }
            return;
        }

        Side twRstVictim = twRstVictim();
        if (twRstVictim == from && twRst.probed && !s.rst() && !s.syn() && x.state() == TcpState.CLOSED
                && t < twRst.until) {
            // A socket closed by that RST would answer with RST or not at all: this side's TIME_WAIT lives on.
            survivedRst(from, x, t, frame);
        } else if (twRstVictim == to && !s.rst()) {
            twRst.probed = true; // the peer sent after its RST: what the TIME_WAIT side sends next answers it
        }
        if (x.state() == TcpState.UNKNOWN && y.state() == TcpState.UNKNOWN && !s.syn() && !s.rst()
                && x.packets() == 0 && y.packets() == 0) {
            // Capture started mid-stream: both sides were already synchronized.
            x.apply(Stimulus.MIDSTREAM, t, frame, true);
            y.apply(Stimulus.MIDSTREAM, t, frame, true);
            emitChange(from, TcpState.UNKNOWN, x, t, frame);
            emitChange(to, TcpState.UNKNOWN, y, t, frame);
        }
        if ((x.rstSent() || y.rstSent()) && !s.rst() && s.payloadLength() > 0) {
            anomaly(AnomalyKind.DATA_AFTER_RST, frame, t, from.jsonName() + " sent data after "
                    + (x.rstSent() ? "its own" : "the peer's") + " RST");
        }

        int sndNxtBefore = x.sndNxt();
        boolean hadSeq = x.seqKnown();
        boolean probe = x.isProbe(s, y);
        boolean retransmission = x.recordSent(s, probe);
        if (!probe && !s.rst() && y.finPending() && x.finSent() && s.seqLength() > 0 && Seq.leq(s.seq(), x.finSeq())
                && (!y.ackSeen() || Seq.gt(s.seq() + s.seqLength(), y.lastAck()))) {
            // x's FIN is in flight to y, and here is sequence space at or below it that y has not acknowledged:
            // the FIN again, or bytes it overtook. TCP takes a FIN only in order: not before this segment.
            y.finHeldUntil(t, frame);
        }

        // 1. What x's segment shows x had received.
        if (s.hasAck()) {
            Receipts.covered(this, from, x, y, s.ack(), s.rst());
        } else if (s.rst()) {
            Receipts.deliverPending(this, from, x, true);
        }

        // 2. What x did.
        if (s.syn()) {
            onSynSent(from, x, y, s, t, frame);
        }
        if (s.payloadLength() > 0 && y.finSent() && !s.rst() && !probe) {
            long fresh = hadSeq ? newBytes(s, sndNxtBefore) : s.payloadLength();
            if (fresh > 0) {
                y.peerSentAfterOurFin(fresh);
                // Half-close data is data sent after its sender had the peer's FIN (its ACK covers it);
                // data that crossed the FIN on the wire was sent before the sender knew.
                if (firstFin == to && (!s.hasAck() || Seq.geq(s.ack(), y.finSeq() + 1))) {
                    halfCloseBytes += fresh;
                    if (!is(HALF_CLOSE_ANNOUNCED)) {
                        set(HALF_CLOSE_ANNOUNCED, true);
                        if (events != null) {
                            events.accept(new ConnectionEvent.HalfClosed(id, key, t,
                                    new HalfClose(to, y.finNanos(), OptionalLong.empty(), halfCloseBytes)));
                        }
                    }
                }
            }
        }
        if (s.fin() && !x.resendsFin(s)) {
            onFinSent(from, x, s, t, frame);
        }
        if (s.hasAck() && !s.rst() && twFrom(to) != Long.MIN_VALUE) {
            // A segment into TIME_WAIT: the peer resending its FIN (the last ACK was lost: RFC 9293 3.10.7.4),
            // or anything else with ACK, an old duplicate too: the side answers it and its 2*MSL starts over
            // (Linux: tcp_timewait_state_process, inet_twsk_reschedule with TCP_TIMEWAIT_LEN; ss shows it).
            setTwUntil(to, Math.max(twUntil(to), t + timeWaitNanos));
        } else if (s.hasAck() && !s.rst() && twRstVictim() == to) {
            // The same, into a window a RST may have ended: if the side shows it kept it, it restarted.
            twRst.until = Math.max(twRst.until, t + timeWaitNanos);
        }
        if (s.rst()) {
            onRstSent(from, x, y, s, t, frame);
        }

        // 3. What y receives at once: ACKs of its SYN/FIN (after everything x sent before).
        if (s.hasAck() && !s.rst()) {
            if (!s.syn() && y.takeAckOfSyn(s.ack())) {
                Receipts.deliverPending(this, to, y, true);
                applyTo(to, y, Stimulus.RECV_ACK_OF_SYN, t, frame, false);
            }
            if (y.takeAckOfFin(s.ack())) {
                Receipts.deliverPending(this, to, y, true);
                applyTo(to, y, Stimulus.RECV_ACK_OF_FIN, t, frame, false);
            }
        }
        // 4. What is now in flight to y.
        Receipts.inFlight(y, s, t, frame);

        if (emitSegments && events != null) {
            events.accept(new ConnectionEvent.SegmentSeen(id, key, t, from, s, clientSide.state(),
                    serverSide.state(), retransmission));
        }
    }

    private static long newBytes(Segment s, int sndNxtBefore) {
        int start = s.seq() + (s.syn() ? 1 : 0);
        int end = start + s.payloadLength();
        if (Seq.leq(end, sndNxtBefore)) {
            return 0;
        }
        return Seq.geq(start, sndNxtBefore) ? s.payloadLength() : Seq.diff(sndNxtBefore, end);
    }

    private void onSynSent(Side from, SideTracker x, SideTracker y, Segment s, long t, long frame) {
        if (!s.hasAck()) {
            if (from == Side.CLIENT) {
                set(CLIENT_SYN_SEEN, true);
            } else {
                set(SERVER_SYN_SEEN, true);
                if (is(CLIENT_SYN_SEEN)) set(SIMULTANEOUS_OPEN, true);
            }
            if (from == Side.CLIENT && s.payloadLength() > 0 && s.seq() == x.isn()) {
                synDataBytes = s.payloadLength();
            }
            applyTo(from, x, Stimulus.SEND_SYN, t, frame, false);
            return;
        }
        set(SYN_ACK_SEEN, true);
        if (from == Side.SERVER && synDataBytes > 0 && y.synSent() && s.ack() == y.isn() + 1 + synDataBytes) {
            set(FAST_OPEN, true); // the server took the data in the SYN
        }
        if (y.state() == TcpState.UNKNOWN && !y.synSent()) {
            // The SYN this answers was not captured: its sender must have been in SYN_SENT.
            set(SYN_NOT_SEEN, true);
            applyTo(from.opposite(), y, Stimulus.SEND_SYN, t, frame, true);
            anomaly(AnomalyKind.SYN_NOT_SEEN, frame, t, "capture starts at the SYN-ACK");
        }
        applyTo(from, x, Stimulus.SEND_SYN_ACK, t, frame, false);
    }

    private void onFinSent(Side from, SideTracker x, Segment s, long t, long frame) {
        x.sentFin(s, t);
        if (s.syn()) {
            anomaly(AnomalyKind.SYN_WITH_FIN, frame, t, "SYN and FIN in one segment");
        }
        SideTracker peer = side(from.opposite());
        if (s.hasAck() && peer.finCoveredBy(s.ack())) {
            // This FIN also carries the first ACK of the peer's FIN: a 3-segment close.
            set(SECOND_FIN_PIGGYBACKED, true);
        }
        if (firstFin == null) {
            firstFin = from;
        }
        applyTo(from, x, Stimulus.SEND_FIN, t, frame, false);
    }

    private void onRstSent(Side from, SideTracker x, SideTracker y, Segment s, long t, long frame) {
        RstCheck check = rstAcceptable(s, x, y);
        Side to = from.opposite();
        // A side that showed it keeps TIME_WAIT through a RST ignores the next one too.
        boolean ignoredInTimeWait = check == RstCheck.ACCEPTED && y.state() == TcpState.TIME_WAIT
                && twRst != null && (twRst.ignoring & (1 << to.ordinal())) != 0;
        boolean acceptable = check == RstCheck.ACCEPTED && !ignoredInTimeWait;
        TcpState senderState = x.state();
        ResetCause cause;
        if (x.refusedSyn()) {
            cause = ResetCause.REFUSED;
            senderState = TcpState.CLOSED;
            set(REFUSED, true);
        } else if (check == RstCheck.OUT_OF_WINDOW) {
            cause = ResetCause.OUT_OF_WINDOW;
        } else if (check == RstCheck.CHALLENGED) {
            cause = ResetCause.CHALLENGED;
        } else if (senderState == TcpState.TIME_WAIT || y.state() == TcpState.TIME_WAIT) {
            cause = ResetCause.TIME_WAIT;
        } else if (senderState == TcpState.CLOSED) {
            cause = ResetCause.UNKNOWN_CONNECTION;
        } else if (senderState == TcpState.UNKNOWN) {
            cause = y.packets() > 0 ? ResetCause.UNKNOWN_CONNECTION : ResetCause.UNEXPLAINED;
        } else if (noSocket(s, x, y)) {
            cause = ResetCause.NO_SOCKET;
            senderState = TcpState.CLOSED;
        } else if (x.finSent()) {
            cause = x.peerBytesAfterOurFin() > 0 ? ResetCause.DATA_AFTER_CLOSE : ResetCause.ABORT_AFTER_CLOSE;
        } else {
            cause = ResetCause.ABORT;
        }
        if (!x.rstSent() || acceptable) {
            Reset reset = new Reset(from, t, frame, senderState, s.hasAck(), acceptable, cause, x.windowBeforeRst(y));
            if (resets == null) resets = new ArrayList<>(2);
            resets.add(reset);
            if (events != null) events.accept(new ConnectionEvent.ResetSeen(id, key, t, reset));
        }
        if (check == RstCheck.OUT_OF_WINDOW) {
            // The receiver ignores it (RFC 9293 3.10.7.4): most likely forged or stale, so it moves neither side.
            anomaly(AnomalyKind.RST_OUT_OF_WINDOW, frame, t, "RST seq " + Seq.unsigned(s.seq()) + " outside the receiver's window");
            return;
        }
        if (check == RstCheck.CHALLENGED || ignoredInTimeWait) {
            // The receiver answers with a challenge ACK and keeps the connection (RFC 5961 3.2), or keeps its
            // TIME_WAIT (RFC 1337): nothing moves.
            return;
        }
        x.sentRst();
        // A refusal leaves UNKNOWN, LISTEN or CLOSED: the table takes each of them to CLOSED.
        applyTo(from, x, Stimulus.SEND_RST, t, frame, false);
        set(ACCEPTABLE_RST_SEEN, true);
        Receipts.deliverPending(this, from.opposite(), y, true);
        if (y.state() == TcpState.TIME_WAIT) {
            // Without later evidence the window ended here (Linux with tcp_rfc1337 = 0); if the TIME_WAIT side
            // answers a later segment, survivedRst takes it back.
            RstIntoTimeWait tr = twRst();
            tr.victim = to;
            tr.probed = false;
            tr.from = twFrom(to);
            tr.until = twUntil(to);
            tr.index = resets.size() - 1;
            endTimeWait(to, TimeWaitEnd.RST, t);
        }
        if (y.state() != TcpState.UNKNOWN || y.packets() > 0) {
            applyTo(from.opposite(), y, Stimulus.RECV_RST, t, frame, false);
        }
    }

    /**
     * The side whose TIME_WAIT a RST ended sent a segment that is not a RST: its socket was not closed by
     * it (RFC 1337; Linux with tcp_rfc1337 = 1 ignores RSTs in TIME_WAIT). The window is reopened as it
     * was, the side is back in TIME_WAIT, and the RST was not acceptable to it after all.
     */
    private void survivedRst(Side victim, SideTracker v, long t, long frame) {
        timeWaits = new ArrayList<>(timeWaits());
        for (int i = timeWaits.size() - 1; i >= 0; i--) {
            if (timeWaits.get(i).side() == victim && timeWaits.get(i).endedBy() == TimeWaitEnd.RST) {
                timeWaits.remove(i);
                break;
            }
        }
        if (timeWaits.isEmpty()) {
            timeWaits = null; // as a fresh tracker (and a restored snapshot) holds it
        }
        TcpState before = v.state();
        v.undoLastTransition();
        setTwFrom(victim, twRst.from);
        setTwUntil(victim, twRst.until);
        resets = new ArrayList<>(resets);
        Reset r = resets.get(twRst.index);
        resets.set(twRst.index, new Reset(r.by(), r.atNanos(), r.frame(), r.senderState(), r.withAck(), false, r.cause(),
                r.senderWindow()));
        set(ACCEPTABLE_RST_SEEN, resets.stream().anyMatch(Reset::acceptable));
        side(victim.opposite()).rstNotTaken();
        twRst.ignoring |= 1 << victim.ordinal();
        twRst.victim = null;
        twRst.probed = false;
        if (events != null) {
            events.accept(new ConnectionEvent.StateChanged(id, key, t, frame, victim, before, v.state(), false));
        }
    }

    /**
     * A RST from no socket (Linux's tcp_v4_send_reset answering a segment with ACK: no ACK flag, seq =
     * that segment's ack) rather than an abort from a live socket (tcp_send_active_reset: RST+ACK at
     * SND.NXT). The sender must have been silent: data the peer sent is still unacknowledged by it. A
     * sender that sent FIN keeps its own causes: an orphaned FIN_WAIT socket answers data the same way
     * (write after close).
     */
    private static boolean noSocket(Segment s, SideTracker x, SideTracker y) {
        return !s.hasAck() && !x.finSent() && y.ackSeen() && s.seq() == y.lastAck() && y.seqKnown()
                && (!x.ackSeen() || Seq.gt(y.sndNxt(), x.lastAck()));
    }

    /** What the receiver does with a RST. */
    enum RstCheck { ACCEPTED, CHALLENGED, OUT_OF_WINDOW }

    /**
     * RFC 9293 3.10.7: in SYN_SENT a RST is acceptable if it acknowledges the SYN; otherwise its
     * sequence number must fall in the receiver's window, which we know from the receiver's last ACK.
     * RFC 5961 3.2 (Linux's tcp_validate_incoming, also in TIME_WAIT) narrows that: only a RST at
     * exactly RCV.NXT resets a synchronized receiver; one elsewhere in the window draws a challenge
     * ACK. The capture point does not see RCV.NXT itself: it lies between the receiver's last ACK and
     * the sender's SND.NXT (what is still in flight or not yet acknowledged), so a RST anywhere in that
     * range is taken as exact. Linux also accepts RCV.NXT - 1 once the sender's FIN arrived
     * (tcp_reset_check). A receiver in SYN_RCVD takes any in-window RST (tcp_check_req).
     */
    private static RstCheck rstAcceptable(Segment s, SideTracker x, SideTracker y) {
        if (y.state() == TcpState.SYN_SENT) {
            return s.hasAck() && s.ack() == y.isn() + 1 ? RstCheck.ACCEPTED : RstCheck.OUT_OF_WINDOW;
        }
        if (!y.ackSeen()) {
            return RstCheck.ACCEPTED;
        }
        int seq = s.seq();
        int rcvNxt = y.lastAck();
        if (seq == x.sndNxt() || (Seq.geq(seq, rcvNxt) && Seq.leq(seq, x.sndNxt()))
                || (x.finSent() && seq == x.finSeq() && y.state() != TcpState.TIME_WAIT)) {
            // RCV.NXT - 1 after the FIN: Linux's tcp_reset_check takes it in CLOSE_WAIT, LAST_ACK and CLOSING;
            // a TIME_WAIT socket is killed only by a RST at RCV.NXT itself (tcp_timewait_state_process).
            return RstCheck.ACCEPTED;
        }
        long window = y.offeredWindow(x);
        long offset = Seq.unsigned(seq - rcvNxt);
        if (offset >= window) {
            return RstCheck.OUT_OF_WINDOW;
        }
        return y.state() == TcpState.SYN_RCVD || !x.seqKnown() ? RstCheck.ACCEPTED : RstCheck.CHALLENGED;
    }

    void applyTo(Side side, SideTracker tracker, Stimulus stimulus, long t, long frame, boolean inferred) {
        TcpState before = tracker.state();
        Outcome o = tracker.apply(stimulus, t, frame, inferred);
        if (o.kind() == Outcome.Kind.UNEXPECTED) {
            anomaly(stimulus.unexpected(), frame, t, side.jsonName() + " in " + before);
        }
        if (o.changes()) {
            emitChange(side, before, tracker, t, frame);
        }
    }

    private void emitChange(Side side, TcpState before, SideTracker tracker, long t, long frame) {
        if (tracker.state() == before) {
            return;
        }
        long at = tracker.lastTransitionNanos();
        if (events != null) {
            events.accept(new ConnectionEvent.StateChanged(id, key, at, frame, side, before,
                    tracker.state(), tracker.lastTransitionInferred()));
        }
        if (tracker.state() == TcpState.TIME_WAIT) {
            setTwFrom(side, at);
            setTwUntil(side, at + timeWaitNanos);
            if (events != null) {
                events.accept(new ConnectionEvent.TimeWaitStarted(id, key, at, side, at + timeWaitNanos));
            }
        }
    }

    private void anomaly(AnomalyKind kind, long frame, long t, String detail) {
        Anomaly a = new Anomaly(kind, frame, t, detail);
        if (anomalies == null) {
            anomalies = new ArrayList<>(2);
        }
        if (anomalies.size() < 64) {
            anomalies.add(a);
        }
        if (events != null) events.accept(new ConnectionEvent.AnomalySeen(id, key, t, a));
    }

    /**
     * Ends TIME_WAIT windows whose 2*MSL has passed by capture time {@code now}, earliest first (the
     * client's on a tie), so the order never depends on how far one call moves the clock.
     */
    public void advanceTo(long now) {
        boolean client = twFromClient != Long.MIN_VALUE && twUntilClient <= now;
        boolean server = twFromServer != Long.MIN_VALUE && twUntilServer <= now;
        if (client && server && twUntilServer < twUntilClient) {
            endTimeWait(Side.SERVER, TimeWaitEnd.TIMER, twUntilServer);
            endTimeWait(Side.CLIENT, TimeWaitEnd.TIMER, twUntilClient);
            return;
        }
        if (client) {
            endTimeWait(Side.CLIENT, TimeWaitEnd.TIMER, twUntilClient);
        }
        if (server) {
            endTimeWait(Side.SERVER, TimeWaitEnd.TIMER, twUntilServer);
        }
    }

    /** The earliest open TIME_WAIT end, or Long.MAX_VALUE. */
    public long nextTimerNanos() {
        long next = Long.MAX_VALUE;
        if (twFromClient != Long.MIN_VALUE) next = twUntilClient;
        if (twFromServer != Long.MIN_VALUE) next = Math.min(next, twUntilServer);
        return next;
    }

    /** {@return whether {@code side} has a TIME_WAIT window open now} */
    public boolean inTimeWait(Side side) {
        return twFrom(side) != Long.MIN_VALUE;
    }

    private long twFrom(Side side) {
        return side == Side.CLIENT ? twFromClient : twFromServer;
    }

    private long twUntil(Side side) {
        return side == Side.CLIENT ? twUntilClient : twUntilServer;
    }

    private void setTwUntil(Side side, long until) {
        if (side == Side.CLIENT) {
            twUntilClient = until;
        } else {
            twUntilServer = until;
        }
    }

    private void setTwFrom(Side side, long from) {
        if (side == Side.CLIENT) {
            twFromClient = from;
        } else {
            twFromServer = from;
        }
    }

    /** Whether {@link #finish} has run: the connection is reported and no longer live. */
    public boolean isFinished() {
        return is(FINISHED);
    }

    /** Ends a side's open TIME_WAIT window (no-op if none is open). */
    public void endTimeWait(Side side, TimeWaitEnd how, long at) {
        long from = twFrom(side);
        if (from == Long.MIN_VALUE) {
            return;
        }
        setTwFrom(side, Long.MIN_VALUE);
        TimeWaitWindow w = new TimeWaitWindow(side, from, twUntil(side), how, Math.max(at, from));
        if (timeWaits == null) timeWaits = new ArrayList<>(2);
        timeWaits.add(w);
        if (events != null) events.accept(new ConnectionEvent.TimeWaitEnded(id, key, w.endedAtNanos(), w));
    }

    /**
     * The TIME_WAIT windows so far: the ended ones, then those still open as {@link TimeWaitEnd#SCHEDULED}
     * (ending at their {@code until}). For a report written while the connection is still tracked.
     */
    public List<TimeWaitWindow> timeWaitsSoFar() {
        List<TimeWaitWindow> all = new ArrayList<>(timeWaits());
        for (Side side : SIDES) {
            long from = twFrom(side);
            if (from != Long.MIN_VALUE) {
                all.add(new TimeWaitWindow(side, from, twUntil(side), TimeWaitEnd.SCHEDULED, twUntil(side)));
            }
        }
        return all;
    }

    /** Nothing more is expected: no side is in a synchronized or opening state. */
    public boolean isOver() {
        return isDone(clientSide.state()) && isDone(serverSide.state())
                && (clientSide.state() != TcpState.UNKNOWN || serverSide.state() != TcpState.UNKNOWN);
    }

    private static boolean isDone(TcpState s) {
        return s == TcpState.CLOSED || s == TcpState.TIME_WAIT || s == TcpState.UNKNOWN;
    }

    /** End of the capture (or eviction): apply receipts never shown, close open windows. */
    public void finish(long now, boolean expiredIdle) {
        set(FINISHED, true);
        for (Side side : SIDES) {
            SideTracker tr = side(side);
            if (tr.state() != TcpState.UNKNOWN) {
                Receipts.deliverPending(this, side, tr, true);
            }
        }
        if (expiredIdle) {
            anomaly(AnomalyKind.EXPIRED_IDLE, 0, now, "no packet for longer than the idle timeout");
        }
        for (Side side : SIDES) {
            endTimeWait(side, TimeWaitEnd.CAPTURE_END, now);
        }
        if (firstFin != null && !is(HALF_CLOSE_ANNOUNCED) && !side(firstFin.opposite()).finSent()
                && !clientSide.rstSent() && !serverSide.rstSent()) {
            set(HALF_CLOSE_ANNOUNCED, true);
            if (events != null) {
                events.accept(new ConnectionEvent.HalfClosed(id, key, now,
                        new HalfClose(firstFin, side(firstFin).finNanos(), OptionalLong.empty(), halfCloseBytes)));
            }
        }
    }

    // ---- facts for the verdicts ----

    /** {@return how the client was identified} */
    public Opener opener() {
        return opener;
    }

    /** {@return capture time of its first segment} */
    public long firstNanos() {
        return firstNanos;
    }

    /** {@return every RST so far, in order} */
    public List<Reset> resets() {
        return resets == null ? List.of() : resets;
    }

    /** {@return the TIME_WAIT windows that have ended (see {@link #timeWaitsSoFar} for the open ones too)} */
    public List<TimeWaitWindow> timeWaits() {
        return timeWaits == null ? List.of() : timeWaits;
    }

    /** {@return the anomalies so far (at most 64 kept)} */
    public List<Anomaly> anomalies() {
        return anomalies == null ? List.of() : anomalies;
    }

    /** {@return the 4-tuple reuse this incarnation started with, or null} */
    public Reuse reuse() {
        return reuse;
    }

    /** {@return the side that sent the first FIN, or null} */
    public Side firstFin() {
        return firstFin;
    }

    /** {@return whether the second FIN carried the first ACK of the first FIN (a 3-segment close)} */
    public boolean secondFinPiggybacked() {
        return is(SECOND_FIN_PIGGYBACKED);
    }

    /** {@return payload bytes the still-open side sent after the first FIN} */
    public long halfCloseBytes() {
        return halfCloseBytes;
    }

    /** {@return whether a SYN was answered by RST (nothing listening)} */
    public boolean refused() {
        return is(REFUSED);
    }

    /** {@return whether an RST the receiver would accept was sent} */
    public boolean acceptableRstSeen() {
        return is(ACCEPTABLE_RST_SEEN);
    }

    /** {@return whether the client's SYN (without ACK) was captured} */
    public boolean clientSynSeen() {
        return is(CLIENT_SYN_SEEN);
    }

    /** {@return whether a SYN-ACK was captured} */
    public boolean synAckSeen() {
        return is(SYN_ACK_SEEN);
    }

    /** {@return whether both sides sent a SYN without ACK} */
    public boolean simultaneousOpen() {
        return is(SIMULTANEOUS_OPEN);
    }

    /** {@return whether the capture started at the SYN-ACK (the SYN was inferred)} */
    public boolean synNotSeen() {
        return is(SYN_NOT_SEEN);
    }

    /** The client's SYN carried data and the SYN-ACK acknowledged it (TCP Fast Open, RFC 7413). */
    public boolean fastOpen() {
        return is(FAST_OPEN);
    }

    /** {@return frame number of its first segment} */
    public long firstFrame() {
        return firstFrame;
    }

    // ---- snapshot (the order of fields is the snapshot's version 3) ----

    /** Writes everything this incarnation knows; the settings ({@code timeWait}, events, ...) come from the restorer. */
    public void writeTo(SnapshotWriter w) {
        w.writeLong(id).writeKey(key).writeEndpoint(client).writeEndpoint(server).writeEnum(opener);
        w.writeLong(firstNanos).writeLong(firstFrame).writeLong(lastNanos);
        clientSide.writeTo(w);
        serverSide.writeTo(w);
        w.writeResets(resets()).writeWindows(timeWaits()).writeAnomalies(anomalies()).writeReuse(reuse);
        w.writeSide(firstFin).writeBoolean(is(SECOND_FIN_PIGGYBACKED)).writeLong(halfCloseBytes)
                .writeBoolean(is(HALF_CLOSE_ANNOUNCED));
        w.writeBoolean(is(REFUSED)).writeBoolean(is(ACCEPTABLE_RST_SEEN)).writeBoolean(is(CLIENT_SYN_SEEN))
                .writeBoolean(is(SERVER_SYN_SEEN));
        w.writeBoolean(is(SYN_ACK_SEEN)).writeBoolean(is(SIMULTANEOUS_OPEN)).writeBoolean(is(SYN_NOT_SEEN));
        w.writeLong(twFromClient).writeLong(twFromServer).writeLong(twUntilClient).writeLong(twUntilServer);
        w.writeBoolean(is(FINISHED));
        RstIntoTimeWait tr = twRst != null ? twRst : new RstIntoTimeWait(); // none: the fields' defaults
        w.writeInt(synDataBytes).writeBoolean(is(FAST_OPEN)).writeSide(tr.victim).writeLong(tr.from).writeLong(tr.until);
        w.writeInt(tr.index).writeBoolean(tr.probed).writeInt(tr.ignoring);
    }

    /** An incarnation as {@link #writeTo} wrote it, with this analysis' settings. */
    public static ConnectionTracker readFrom(SnapshotReader r, long timeWaitNanos, boolean emitSegments,
                                             boolean skipBadChecksums, Consumer<ConnectionEvent> events) {
        long id = r.readLong();
        FlowKey key = r.readKey();
        Endpoint client = r.readEndpoint();
        Endpoint server = r.readEndpoint();
        Opener opener = r.readRequiredEnum(Opener.class);
        long firstNanos = r.readLong();
        long firstFrame = r.readLong();
        if (client == null || server == null) {
            throw new SnapshotFormatException("corrupt snapshot: a connection without both endpoints");
        }
        ConnectionTracker c = new ConnectionTracker(id, key, client, server, opener, firstNanos, firstFrame,
                timeWaitNanos, emitSegments, skipBadChecksums, events);
        c.lastNanos = r.readLong();
        c.clientSide = SideTracker.readFrom(r);
        c.serverSide = SideTracker.readFrom(r);
        c.resets = emptyToNull(r.readResets());
        c.timeWaits = emptyToNull(r.readWindows());
        c.anomalies = emptyToNull(r.readAnomalies());
        c.reuse = r.readReuse();
        c.firstFin = r.readSide();
        c.set(SECOND_FIN_PIGGYBACKED, r.readBoolean());
        c.halfCloseBytes = r.readLong();
        c.set(HALF_CLOSE_ANNOUNCED, r.readBoolean());
        c.set(REFUSED, r.readBoolean());
        c.set(ACCEPTABLE_RST_SEEN, r.readBoolean());
        c.set(CLIENT_SYN_SEEN, r.readBoolean());
        c.set(SERVER_SYN_SEEN, r.readBoolean());
        c.set(SYN_ACK_SEEN, r.readBoolean());
        c.set(SIMULTANEOUS_OPEN, r.readBoolean());
        c.set(SYN_NOT_SEEN, r.readBoolean());
        c.twFromClient = r.readLong();
        c.twFromServer = r.readLong();
        c.twUntilClient = r.readLong();
        c.twUntilServer = r.readLong();
        c.set(FINISHED, r.readBoolean());
        c.synDataBytes = r.readInt();
        c.set(FAST_OPEN, r.readBoolean());
        RstIntoTimeWait tr = new RstIntoTimeWait();
        tr.victim = r.readSide();
        tr.from = r.readLong();
        tr.until = r.readLong();
        tr.index = r.readInt();
        tr.probed = r.readBoolean();
        tr.ignoring = r.readInt();
        if (tr.victim != null || tr.from != 0 || tr.until != 0 || tr.index != 0 || tr.probed || tr.ignoring != 0) {
            c.twRst = tr; // else as a fresh tracker holds it: none
        }
        return c;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list.isEmpty() ? null : list;
    }
}
