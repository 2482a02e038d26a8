package dev.finwait.compat;

import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.tcp.Seq;

/**
 * One side of a connection as Zeek's TCP analyzer keeps it: state, the sequence marks it derives
 * sizes and retransmissions from, and the history bookkeeping. Mutable, owned by one {@link ZeekConnTracker}.
 */
final class ZeekEndpoint {
    /** Zeek ignores SYN/RST sequence numbers that jump further than this ({@code TOO_LARGE_SEQ_DELTA}). */
    static final int TOO_LARGE_SEQ_DELTA = 1_048_576;

    ZeekEndpointState state = ZeekEndpointState.INACTIVE;
    ZeekEndpointState prevState = ZeekEndpointState.INACTIVE;
    boolean orig;
    ZeekEndpoint peer;

    int startSeq;
    int lastSeq;
    int ackSeq;
    int finCount;
    /** Relative sequence number just past the FIN, for the gap check. */
    long finSeq;
    boolean didClose;

    /** Relative sequence of the last SYN / FIN end / RST that produced a history letter. */
    long histLastSyn;
    long histLastFin;
    long histLastRst;

    /** Occurrences of the logarithmic letters (C, T, W, G), indexed by the constants below. */
    static final int CHECKSUM = 0;
    static final int RETRANSMIT = 1;
    static final int ZERO_WINDOW = 2;
    static final int GAP = 3;
    private long[] scaled; // created on first use: most connections never count any (one object less per side)

    /** Relative sequence up to which this side's payload was seen without a hole (the reassembler's view). */
    long contiguous;
    boolean contiguousKnown;

    ZeekEndpoint(boolean orig) {
        this.orig = orig;
    }

    void setState(ZeekEndpointState next) {
        if (next != state) {
            prevState = state;
            state = next;
        }
    }

    void initSeqs(int start, int last) {
        startSeq = start;
        ackSeq = start;
        lastSeq = last;
    }

    long relative(int seq) {
        return Seq.diff(startSeq, seq);
    }

    /**
     * Bytes this side sent, Zeek's {@code TCP_Endpoint::Size()}: from the start sequence to the
     * furthest of last-sent and last-acked, without the SYN and FIN octets.
     */
    long size() {
        if (prevState == ZeekEndpointState.SYN_SENT && state == ZeekEndpointState.RESET
                && peer.state == ZeekEndpointState.INACTIVE) {
            return 0;
        }
        int top = Seq.gt(lastSeq, ackSeq) ? lastSeq : ackSeq;
        long size = Math.max(0, Seq.diff(startSeq, top));
        if (size > 0) {
            size--;
        }
        if (finCount > 0 && size > 0) {
            size--;
        }
        return size;
    }

    /**
     * Counts one occurrence of a scaled letter ({@link #CHECKSUM}, {@link #RETRANSMIT}, {@link #ZERO_WINDOW},
     * {@link #GAP}); true at 1, 10, 100, 1000 ... occurrences (Zeek's {@code ScaledHistoryEntry}).
     */
    boolean hit(int counter) {
        if (scaled == null) {
            scaled = new long[4];
        }
        long n = ++scaled[counter];
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    // ---- snapshot (the order of fields is the snapshot's version 1) ----

    void writeTo(SnapshotWriter w) {
        w.writeEnum(state).writeEnum(prevState).writeBoolean(orig);
        w.writeInt(startSeq).writeInt(lastSeq).writeInt(ackSeq).writeInt(finCount).writeLong(finSeq).writeBoolean(didClose);
        w.writeLong(histLastSyn).writeLong(histLastFin).writeLong(histLastRst);
        w.writeBoolean(scaled != null);
        if (scaled != null) {
            w.writeLongs(scaled, scaled.length);
        }
        w.writeLong(contiguous).writeBoolean(contiguousKnown);
    }

    /** The endpoint as {@link #writeTo} wrote it; its {@code peer} is set by the connection. */
    static ZeekEndpoint readFrom(SnapshotReader r) {
        ZeekEndpoint e = new ZeekEndpoint(false);
        e.state = r.readRequiredEnum(ZeekEndpointState.class);
        e.prevState = r.readRequiredEnum(ZeekEndpointState.class);
        e.orig = r.readBoolean();
        e.startSeq = r.readInt();
        e.lastSeq = r.readInt();
        e.ackSeq = r.readInt();
        e.finCount = r.readInt();
        e.finSeq = r.readLong();
        e.didClose = r.readBoolean();
        e.histLastSyn = r.readLong();
        e.histLastFin = r.readLong();
        e.histLastRst = r.readLong();
        if (r.readBoolean()) {
            e.scaled = r.readLongs(4);
        }
        e.contiguous = r.readLong();
        e.contiguousKnown = r.readBoolean();
        return e;
    }
}
