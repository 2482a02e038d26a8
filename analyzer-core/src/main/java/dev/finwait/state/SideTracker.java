package dev.finwait.state;
import dev.finwait.model.TcpState;

import dev.finwait.model.SideCounts;
import dev.finwait.model.ReceiveWindow;
import dev.finwait.model.SideReport;
import dev.finwait.model.Transition;
import dev.finwait.snapshot.SnapshotFormatException;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Seq;
import dev.finwait.tcp.TcpFlags;
import java.util.List;

/**
 * What we know of one side of a connection: its state, every transition, its sequence space, what it
 * has sent and acknowledged, and the peer's SYN or FIN still in flight to it. Mutable, owned by one
 * connection; its fields change only through the methods below, each named for what the packets
 * showed. Sequence numbers are raw 32-bit values.
 */
public final class SideTracker {
    private static final TcpState[] STATES = TcpState.values();
    private TcpState state = TcpState.UNKNOWN;
    // Every transition as two longs: its time, then frame << 6 | state ordinal << 1 | inferred. Flat,
    // because a closed connection lingers for 2*MSL: one array per side instead of a list of objects
    // means fewer objects for the collector to copy again and again, and less to allocate.
    // Room for five: a side that opens and closes gracefully enters five states (SYN_SENT or SYN_RCVD,
    // ESTABLISHED, then FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT or CLOSE_WAIT, LAST_ACK, CLOSED); with room for
    // four, most sides grew (copied) their array once.
    private long[] transitionWords = new long[10];
    private int transitionCount;
    // One bit per TcpState ordinal that a transition entered: the verdicts ask wentThrough() when the
    // connection finishes, and walking the (by then cold) transition list was a cache miss per entry.
    private int statesEntered;

    // Sequence space of what this side sent.
    private int isn;
    private int sndNxt;
    private int finSeq;
    private long finNanos;
    private int windowScaleOffered = -1;
    private long lastTsVal = -1;

    // What this side acknowledged (its view of the peer), for RST acceptability.
    private int lastAck;
    private int lastWindow;
    // The windows this side advertised in its segments other than RSTs (a RST's window says nothing of
    // the receive buffer: Linux purges it first), raw: the scale is known once both SYNs are seen.
    private int windowBeforeRst;
    private int maxWindow;
    private int synWindow = -1;

    /** A SYN or FIN from the peer that this side has not yet been shown to have received. */
    private Pending pendingSyn;
    private int pendingSynSeq;
    private Pending pendingFin;

    /** New payload bytes the peer sent after this side's FIN (data arriving after close). */
    private long peerBytesAfterOurFin;

    // Counters, as tshark counts them.
    private long packets;
    private long payloadBytes;
    private long ipBytes;
    private int syn;
    private int synAck;
    private int fin;
    private int rst;
    private int retransmissions;
    private int duplicates;
    // The previous segment's identity (IPv4 id and header fields), 0 when it had no IPv4 id: the same
    // again is the same packet captured twice, not a retransmission (which gets a new id).
    private long lastFingerprint;
    // The IPv4 id of this side's latest segment (-1: none). Linux numbers a connection's packets one by
    // one, so a lower id was sent earlier: a late original, not a retransmission.
    private int lastIpId = -1;
    // Sequence space the capture point skipped (a segment began past SND.NXT): reordered on the way, or
    // lost before the capture point. One hole is kept, the lowest; bytes that fill it were never seen.
    private int holeStart;
    private int holeEnd;

    // What the packets showed, one bit each (13 boolean fields took 13 bytes of every side; 2 bytes now):
    private short flags;
    // sequence space: a segment seen, a SYN sent, the SYN acknowledged, a FIN sent, the FIN acknowledged,
    // a RST sent (and taken);
    private static final int SEQ_KNOWN = 1;
    private static final int SYN_SENT = 1 << 1;
    private static final int SYN_ACKED = 1 << 2;
    private static final int FIN_SENT = 1 << 3;
    private static final int FIN_ACKED = 1 << 4;
    private static final int RST_SENT = 1 << 5;
    // something acknowledged (lastAck, lastWindow hold); a window advertised, the last one in a SYN;
    private static final int ACK_SEEN = 1 << 6;
    private static final int WINDOW_SEEN = 1 << 7;
    private static final int WINDOW_BEFORE_RST_IN_SYN = 1 << 8;
    // the peer's SYN / FIN received; the peer's SYN answered with RST (nothing was listening);
    private static final int SYN_RECEIVED = 1 << 9;
    private static final int FIN_RECEIVED = 1 << 10;
    private static final int REFUSED_SYN = 1 << 11;
    // a hole open in the sequence space (holeStart, holeEnd hold).
    private static final int HOLE_OPEN = 1 << 12;

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (short) (on ? flags | flag : flags & ~flag);
    }

    /** A control segment from the peer in flight to this side: when it was seen, and what it did. */
    record Pending(long atNanos, long frame, Stimulus stimulus) {
    }

    /** Reads a few fields across this object (see {@link ConnectionTracker#touch}); the result means nothing. */
    long touch() {
        return packets + lastFingerprint + sndNxt + holeEnd + (pendingFin == null ? 0 : 1);
    }

    /** Whether the peer acknowledged this side's FIN. */
    public boolean finAcked() {
        return is(FIN_ACKED);
    }

    /** {@return the side's state now} */
    public TcpState state() {
        return state;
    }

    /** Every state this side went through, in order (an unmodifiable copy, made on each call). */
    public List<Transition> transitions() {
        return Transition.unpacking(transitionWords, transitionCount); // the packing of record(), which it documents
    }

    /** Whether a packet showed this side entering {@code s} (a transition to it that was not inferred). */
    public boolean observedEntering(TcpState s) {
        for (int i = 0; i < transitionCount; i++) {
            long meta = transitionWords[2 * i + 1];
            if (((meta >>> 1) & 0x1F) == s.ordinal() && (meta & 1) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the last transition was inferred; only when there is one. */
    boolean lastTransitionInferred() {
        return (transitionWords[2 * transitionCount - 1] & 1) != 0;
    }

    /** {@return whether this side sent a FIN} */
    public boolean finSent() {
        return is(FIN_SENT);
    }

    /** {@return capture time of its FIN (meaningful once {@link #finSent()})} */
    public long finNanos() {
        return finNanos;
    }

    /** {@return whether this side sent an RST} */
    public boolean rstSent() {
        return is(RST_SENT);
    }

    /** {@return whether this side sent a SYN (with or without ACK)} */
    public boolean synSent() {
        return is(SYN_SENT);
    }

    /** {@return its initial sequence number, from its SYN (meaningful once {@link #synSent()})} */
    public int isn() {
        return isn;
    }

    /** {@return the sequence number after the highest one it sent (RFC 9293's SND.NXT as seen on the wire)} */
    public int sndNxt() {
        return sndNxt;
    }

    /** {@return the last TCP timestamp value it sent, or -1} */
    public long lastTsVal() {
        return lastTsVal;
    }

    /** {@return segments it sent} */
    public long packets() {
        return packets;
    }

    /** {@return payload bytes the peer sent after this side's FIN} */
    public long peerBytesAfterOurFin() {
        return peerBytesAfterOurFin;
    }

    /** {@return whether this side was ever in {@code s}, inferred or not} */
    public boolean wentThrough(TcpState s) {
        return (statesEntered & (1 << s.ordinal())) != 0;
    }

    /** Time of the last transition, or Long.MIN_VALUE. */
    long lastTransitionNanos() {
        return transitionCount == 0 ? Long.MIN_VALUE : transitionWords[2 * transitionCount - 2];
    }

    /**
     * Applies one stimulus through the {@link TransitionTable}. A transition is stamped no earlier
     * than the side's previous one, so each side's path stays time-ordered even when a receive is
     * only confirmed later. Returns the outcome.
     */
    Outcome apply(Stimulus stimulus, long atNanos, long frame, boolean inferred) {
        Outcome o = TransitionTable.apply(state, stimulus);
        if (o.changes()) {
            moveTo(o.next(), atNanos, frame, inferred);
        }
        return o;
    }

    /** Sets the state directly (used for states the table cannot see, e.g. a refused SYN's CLOSED). */
    private void moveTo(TcpState next, long atNanos, long frame, boolean inferred) {
        long at = Math.max(atNanos, lastTransitionNanos());
        state = next;
        statesEntered |= 1 << next.ordinal();
        if (2 * transitionCount == transitionWords.length) {
            transitionWords = java.util.Arrays.copyOf(transitionWords, transitionWords.length * 2);
        }
        transitionWords[2 * transitionCount] = at;
        transitionWords[2 * transitionCount + 1] = frame << 6 | (long) next.ordinal() << 1 | (inferred ? 1 : 0);
        transitionCount++;
    }

    /**
     * Takes back the last transition: a later packet showed it did not happen (a TIME_WAIT socket that
     * answers after a RST was not closed by it). Returns the state it left.
     */
    TcpState undoLastTransition() {
        TcpState undone = state;
        transitionCount--;
        transitionWords[2 * transitionCount] = 0;
        transitionWords[2 * transitionCount + 1] = 0;
        state = transitionCount == 0 ? TcpState.UNKNOWN
                : STATES[(int) (transitionWords[2 * transitionCount - 1] >>> 1) & 0x1F];
        statesEntered = 0;
        for (int i = 0; i < transitionCount; i++) {
            statesEntered |= 1 << ((int) (transitionWords[2 * i + 1] >>> 1) & 0x1F);
        }
        return undone;
    }

    /** Counts a segment without letting it move the machine (a bad checksum in Zeek mode). */
    void countOnly(Segment s) {
        packets++;
        payloadBytes += s.payloadLength();
        ipBytes += s.ipLength();
        if (s.syn()) {
            if (s.hasAck()) synAck++; else syn++;
        }
        if (s.fin()) fin++;
        if (s.rst()) rst++;
    }

    /**
     * Whether {@code s} is the previous segment of this side captured again (same IPv4 identification,
     * same header): then it is counted as a packet and a duplicate, and must not move the machine.
     */
    boolean duplicate(Segment s) {
        long fp = fingerprint(s);
        if (fp != 0 && fp == lastFingerprint) {
            countOnly(s);
            duplicates++;
            return true;
        }
        lastFingerprint = fp;
        return false;
    }

    private static long fingerprint(Segment s) {
        if (s.ipId() <= 0) {
            return 0; // no IPv4 id, or 0 (Linux's DF packets from no socket): cannot tell
        }
        long h = s.ipId();
        h = h * 1_000_003L + s.seq();
        h = h * 1_000_003L + s.ack();
        h = h * 1_000_003L + s.flags();
        h = h * 1_000_003L + s.window();
        h = h * 1_000_003L + s.payloadLength();
        h = h * 1_000_003L + s.ipLength();
        h = h * 1_000_003L + (s.options().hasTimestamps() ? s.options().tsVal() : -1);
        return h == 0 ? 1 : h;
    }

    /**
     * A keepalive probe (RFC 9293 3.8.4: seq = SND.NXT - 1 with 0 or 1 byte, as Linux's tcp_xmit_probe_skb
     * and the BSD "garbage byte") or a zero-window probe (RFC 9293 3.8.6.1: one byte at SND.NXT while the
     * peer offers no window): no data of the stream and no retransmission.
     */
    boolean isProbe(Segment s, SideTracker peer) {
        if (!is(SEQ_KNOWN) || s.payloadLength() > 1 || (s.flags() & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) != 0) {
            return false;
        }
        if (s.seq() == sndNxt - 1) {
            // A 1-byte keepalive repeats a byte the peer already acknowledged; a lost last byte resent is not.
            return s.payloadLength() == 0 || (peer.is(ACK_SEEN) && peer.lastAck == sndNxt);
        }
        return s.payloadLength() == 1 && s.seq() == sndNxt && peer.is(ACK_SEEN) && peer.lastWindow == 0;
    }

    /**
     * Counts a segment this side sent; returns true if it only repeats sequence space already sent. A
     * probe ({@link #isProbe}) is counted as a packet (its byte in payload bytes, as on the wire) but
     * neither moves SND.NXT nor counts as a retransmission.
     */
    boolean recordSent(Segment s, boolean probe) {
        boolean sentEarlier = sentBeforeLatest(s);
        packets++;
        payloadBytes += s.payloadLength();
        ipBytes += s.ipLength();
        if (s.syn()) {
            if (s.hasAck()) synAck++; else syn++;
        }
        if (s.fin()) fin++;
        if (s.rst()) rst++;
        if (s.options().hasTimestamps()) lastTsVal = s.options().tsVal();
        if (s.hasAck()) {
            set(ACK_SEEN, true);
            lastAck = s.ack();
            lastWindow = s.window();
        }
        if (!s.rst()) {
            advertised(s);
        }
        int len = s.seqLength();
        boolean retransmission = false;
        if (probe) {
            return false;
        }
        if (s.syn()) {
            // The same SYN again; in a simultaneous open the SYN-ACK repeats the side's SYN, which is no retransmission.
            if (is(SYN_SENT) && s.seq() == isn && (s.hasAck() ? synAck > 1 : syn > 1)) {
                retransmission = true;
            }
            set(SYN_SENT, true);
            isn = s.seq();
            if (s.options().windowScale() >= 0) windowScaleOffered = s.options().windowScale();
            if (!is(SEQ_KNOWN) || Seq.gt(s.seq() + len, sndNxt)) sndNxt = s.seq() + len;
            set(SEQ_KNOWN, true);
        } else if (!is(SEQ_KNOWN)) {
            set(SEQ_KNOWN, true);
            sndNxt = s.seq() + len;
        } else if (len > 0) {
            int start = s.seq();
            int end = start + len;
            if (Seq.gt(start, sndNxt)) {
                if (!is(HOLE_OPEN)) {
                    set(HOLE_OPEN, true);
                    holeStart = sndNxt;
                    holeEnd = start;
                }
                sndNxt = end;
            } else if (Seq.leq(end, sndNxt)) {
                // Sequence space already passed: a retransmission, unless it fills the hole with bytes
                // never seen, sent before the segments that overtook them (a late original).
                retransmission = !s.rst() && !(fillHole(start, end) && sentEarlier);
            } else {
                fillHole(start, end);
                sndNxt = end;
            }
        }
        if (s.ipId() > 0) lastIpId = s.ipId();
        if (retransmission) retransmissions++;
        return retransmission;
    }

    /**
     * Whether {@code s} left its sender before this side's latest segment seen: a lower IPv4 id (16-bit
     * serial order), else an older or equal TSval (the same millisecond); with neither, bytes never seen
     * before are taken as sent once.
     */
    private boolean sentBeforeLatest(Segment s) {
        if (s.ipId() > 0 && lastIpId > 0) {
            return (short) (s.ipId() - lastIpId) < 0;
        }
        if (s.options().hasTimestamps() && lastTsVal >= 0) {
            return (int) (s.options().tsVal() - lastTsVal) <= 0;
        }
        return true;
    }

    /** Takes [start, end) out of the hole; whether it carried bytes of it. Keeps the lower part when split. */
    private boolean fillHole(int start, int end) {
        if (!is(HOLE_OPEN) || Seq.geq(start, holeEnd) || Seq.leq(end, holeStart)) {
            return false;
        }
        if (Seq.leq(start, holeStart)) {
            holeStart = Seq.lt(end, holeEnd) ? end : holeEnd;
        } else {
            holeEnd = start;
        }
        if (Seq.geq(holeStart, holeEnd)) {
            set(HOLE_OPEN, false);
        }
        return true;
    }

    // ---- what this side's own segments showed ----

    boolean seqKnown() {
        return is(SEQ_KNOWN);
    }

    int finSeq() {
        return finSeq;
    }

    boolean refusedSyn() {
        return is(REFUSED_SYN);
    }

    /** Whether this side has acknowledged anything yet (then {@link #lastAck} and {@link #lastWindow} hold). */
    boolean ackSeen() {
        return is(ACK_SEEN);
    }

    /** The acknowledgement number of this side's last segment: the lowest RCV.NXT it can have. */
    int lastAck() {
        return lastAck;
    }

    int lastWindow() {
        return lastWindow;
    }

    /** This side sent FIN in {@code s} (seen at {@code atNanos}): it occupies the sequence number after the data. */
    void sentFin(Segment s, long atNanos) {
        set(FIN_SENT, true);
        finSeq = s.seq() + (s.syn() ? 1 : 0) + s.payloadLength();
        finNanos = atNanos;
    }

    /** Whether {@code s} carries this side's FIN again, at the same place: a retransmitted FIN. */
    boolean resendsFin(Segment s) {
        return is(FIN_SENT) && s.seq() + s.payloadLength() == finSeq;
    }

    /** This side sent a RST the receiver took: it has no connection any more. */
    void sentRst() {
        set(RST_SENT, true);
    }

    /** The receiver did not take this side's RST after all (a TIME_WAIT socket answered later). */
    void rstNotTaken() {
        set(RST_SENT, false);
    }

    /** Whether a peer acknowledging up to {@code ack} covers this side's FIN for the first time. */
    boolean finCoveredBy(int ack) {
        return is(FIN_SENT) && !is(FIN_ACKED) && Seq.geq(ack, finSeq + 1);
    }

    /**
     * The peer acknowledged up to {@code ack}: if that covers this side's SYN (or FIN) for the first time,
     * it is marked acknowledged and true is returned, so that the caller moves the machine.
     */
    boolean takeAckOfSyn(int ack) {
        if (is(SYN_SENT) && !is(SYN_ACKED) && Seq.geq(ack, isn + 1)) {
            set(SYN_ACKED, true);
            return true;
        }
        return false;
    }

    boolean takeAckOfFin(int ack) {
        if (finCoveredBy(ack)) {
            set(FIN_ACKED, true);
            return true;
        }
        return false;
    }

    /** The peer sent {@code bytes} new payload bytes after this side's FIN. */
    void peerSentAfterOurFin(long bytes) {
        peerBytesAfterOurFin += bytes;
    }

    /** Notes the receive window of a segment of this side (not a RST). A SYN's window is never scaled. */
    private void advertised(Segment s) {
        if (s.syn()) {
            synWindow = Math.max(synWindow, s.window());
        } else if (s.hasAck()) {
            maxWindow = Math.max(maxWindow, s.window());
        } else {
            return; // no ACK: the window field means nothing (RFC 9293 3.10.7.4)
        }
        set(WINDOW_SEEN, true);
        windowBeforeRst = s.window();
        set(WINDOW_BEFORE_RST_IN_SYN, s.syn());
    }

    /**
     * The receive window this side advertised in its last segment other than a RST, and the largest it
     * advertised, in bytes; null if it advertised none. Asked when it sends a RST.
     */
    ReceiveWindow windowBeforeRst(SideTracker peer) {
        if (!is(WINDOW_SEEN)) {
            return null;
        }
        int scale = Math.min(14, windowScaleOffered >= 0 && peer.windowScaleOffered >= 0 ? windowScaleOffered : 0);
        long last = is(WINDOW_BEFORE_RST_IN_SYN) ? windowBeforeRst : ((long) windowBeforeRst) << scale;
        long max = Math.max(Math.max(synWindow, 0), ((long) maxWindow) << scale);
        return new ReceiveWindow(last, Math.max(max, last));
    }

    /**
     * The window this side last offered, in bytes: its window field scaled when both sides offered
     * window scaling on their SYNs (RFC 7323 2.2), and never less than 1.
     */
    long offeredWindow(SideTracker peer) {
        int scale = windowScaleOffered >= 0 && peer.windowScaleOffered >= 0 ? windowScaleOffered : 0;
        return Math.max(1L, ((long) lastWindow) << Math.min(scale, 14));
    }

    // ---- the peer's SYN or FIN in flight to this side (see Receipts) ----

    /** The peer sent SYN (or SYN-ACK) {@code s}: it is in flight to this side until a packet shows its receipt. */
    void synInFlight(Segment s, long atNanos, long frame) {
        if (pendingSyn != null) {
            if (s.hasAck() && pendingSyn.stimulus() == Stimulus.RECV_SYN) {
                // Simultaneous open: the peer's SYN-ACK repeats its SYN, now acknowledging ours.
                pendingSyn = new Pending(pendingSyn.atNanos(), pendingSyn.frame(), Stimulus.RECV_SYN_ACK);
            }
        } else if (!(is(SYN_RECEIVED) && pendingSynSeq == s.seq())) {
            pendingSyn = new Pending(atNanos, frame, s.hasAck() ? Stimulus.RECV_SYN_ACK : Stimulus.RECV_SYN);
            pendingSynSeq = s.seq();
        }
    }

    /** The peer sent FIN: in flight to this side, unless one already is or was received. */
    void finInFlight(long atNanos, long frame) {
        if (pendingFin == null && !is(FIN_RECEIVED)) {
            pendingFin = new Pending(atNanos, frame, Stimulus.RECV_FIN);
        }
    }

    /**
     * The peer's FIN in flight to this side could not have been taken before now: the peer sent again, or
     * for the first time at the capture point, sequence space at or below it that this side has not
     * acknowledged (the FIN itself again, or bytes it overtook). TCP takes a FIN only in order, so its
     * receipt is at this segment at the earliest.
     */
    void finHeldUntil(long atNanos, long frame) {
        if (pendingFin != null) {
            pendingFin = new Pending(atNanos, frame, Stimulus.RECV_FIN);
        }
    }

    boolean synPending() {
        return pendingSyn != null;
    }

    boolean finPending() {
        return pendingFin != null;
    }

    /** Whether this side acknowledging up to {@code ack} shows it received the pending SYN. */
    boolean pendingSynCoveredBy(int ack) {
        return pendingSyn != null && Seq.geq(ack, pendingSynSeq + 1);
    }

    /** The pending SYN, now received (or refused): no longer pending. */
    Pending receiveSyn() {
        Pending p = pendingSyn;
        pendingSyn = null;
        set(SYN_RECEIVED, true);
        if (p.stimulus() == Stimulus.RECV_SYN_ACK) {
            set(SYN_ACKED, true); // a SYN-ACK also acknowledges this side's SYN
        }
        return p;
    }

    /** The pending FIN, now received: no longer pending. */
    Pending receiveFin() {
        Pending p = pendingFin;
        pendingFin = null;
        set(FIN_RECEIVED, true);
        return p;
    }

    /** This side answered the peer's SYN with RST: nothing was listening. */
    void refuseSyn() {
        set(REFUSED_SYN, true);
    }

    /** {@return what it sent, counted} */
    public SideCounts counts() {
        return new SideCounts(packets, payloadBytes, syn, synAck, fin, rst, retransmissions, ipBytes, duplicates);
    }

    /** {@return its final state, transitions and counts, for the report} */
    public SideReport report() {
        return new SideReport(state, transitions(), counts());
    }

    /**
     * As {@link #report}, once this side will never change again (its connection finished: the analysis
     * never feeds it again): the report takes the transitions' array over instead of a copy.
     */
    public SideReport finalReport() {
        return new SideReport(state, Transition.adopting(transitionWords, transitionCount), counts());
    }

    // ---- snapshot (the order of fields is the snapshot's version 3) ----

    void writeTo(SnapshotWriter w) {
        w.writeEnum(state).writeLongs(transitionWords, 2 * transitionCount).writeInt(statesEntered);
        w.writeBoolean(is(SEQ_KNOWN)).writeBoolean(is(SYN_SENT)).writeInt(isn).writeInt(sndNxt)
                .writeBoolean(is(SYN_ACKED));
        w.writeBoolean(is(FIN_SENT)).writeInt(finSeq).writeLong(finNanos).writeBoolean(is(FIN_ACKED))
                .writeBoolean(is(RST_SENT));
        w.writeInt(windowScaleOffered).writeLong(lastTsVal);
        w.writeBoolean(is(ACK_SEEN)).writeInt(lastAck).writeInt(lastWindow);
        writePending(w, pendingSyn);
        w.writeInt(pendingSynSeq);
        writePending(w, pendingFin);
        w.writeBoolean(is(SYN_RECEIVED)).writeBoolean(is(FIN_RECEIVED)).writeBoolean(is(REFUSED_SYN));
        w.writeLong(peerBytesAfterOurFin);
        w.writeLong(packets).writeLong(payloadBytes).writeLong(ipBytes);
        w.writeInt(syn).writeInt(synAck).writeInt(fin).writeInt(rst).writeInt(retransmissions);
        w.writeInt(duplicates).writeLong(lastFingerprint);
        w.writeInt(lastIpId).writeBoolean(is(HOLE_OPEN)).writeInt(holeStart).writeInt(holeEnd);
        w.writeBoolean(is(WINDOW_SEEN)).writeInt(windowBeforeRst).writeBoolean(is(WINDOW_BEFORE_RST_IN_SYN))
                .writeInt(maxWindow).writeInt(synWindow);
    }

    static SideTracker readFrom(SnapshotReader r) {
        SideTracker t = new SideTracker();
        t.state = r.readRequiredEnum(TcpState.class);
        int words = r.peekCount();
        if (words % 2 != 0) {
            throw new SnapshotFormatException("corrupt snapshot: " + words + " transition words (an even number)");
        }
        t.transitionWords = r.readLongs(10);
        t.transitionCount = words / 2;
        for (int i = 0; i < t.transitionCount; i++) {
            int ordinal = (int) (t.transitionWords[2 * i + 1] >>> 1) & 0x1F;
            if (ordinal >= STATES.length) {
                throw new SnapshotFormatException("corrupt snapshot: transition to state number " + ordinal
                        + " (0 to " + (STATES.length - 1) + ")");
            }
        }
        t.statesEntered = r.readInt();
        t.set(SEQ_KNOWN, r.readBoolean());
        t.set(SYN_SENT, r.readBoolean());
        t.isn = r.readInt();
        t.sndNxt = r.readInt();
        t.set(SYN_ACKED, r.readBoolean());
        t.set(FIN_SENT, r.readBoolean());
        t.finSeq = r.readInt();
        t.finNanos = r.readLong();
        t.set(FIN_ACKED, r.readBoolean());
        t.set(RST_SENT, r.readBoolean());
        t.windowScaleOffered = r.readInt();
        t.lastTsVal = r.readLong();
        t.set(ACK_SEEN, r.readBoolean());
        t.lastAck = r.readInt();
        t.lastWindow = r.readInt();
        t.pendingSyn = readPending(r);
        t.pendingSynSeq = r.readInt();
        t.pendingFin = readPending(r);
        t.set(SYN_RECEIVED, r.readBoolean());
        t.set(FIN_RECEIVED, r.readBoolean());
        t.set(REFUSED_SYN, r.readBoolean());
        t.peerBytesAfterOurFin = r.readLong();
        t.packets = r.readLong();
        t.payloadBytes = r.readLong();
        t.ipBytes = r.readLong();
        t.syn = r.readInt();
        t.synAck = r.readInt();
        t.fin = r.readInt();
        t.rst = r.readInt();
        t.retransmissions = r.readInt();
        t.duplicates = r.readInt();
        t.lastFingerprint = r.readLong();
        t.lastIpId = r.readInt();
        t.set(HOLE_OPEN, r.readBoolean());
        t.holeStart = r.readInt();
        t.holeEnd = r.readInt();
        t.set(WINDOW_SEEN, r.readBoolean());
        t.windowBeforeRst = r.readInt();
        t.set(WINDOW_BEFORE_RST_IN_SYN, r.readBoolean());
        t.maxWindow = r.readInt();
        t.synWindow = r.readInt();
        return t;
    }

    private static void writePending(SnapshotWriter w, Pending p) {
        w.writeBoolean(p != null);
        if (p != null) {
            w.writeLong(p.atNanos()).writeLong(p.frame()).writeEnum(p.stimulus());
        }
    }

    private static Pending readPending(SnapshotReader r) {
        if (!r.readBoolean()) {
            return null;
        }
        return new Pending(r.readLong(), r.readLong(), r.readRequiredEnum(Stimulus.class));
    }
}
