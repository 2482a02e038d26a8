package dev.finwait.compat;

import dev.finwait.snapshot.SnapshotWriter;
import dev.finwait.snapshot.SnapshotReader;
import dev.finwait.tcp.Segment;

/**
 * Wireshark's {@code tcp.completeness} bitmask for one connection (packet-tcp.c, "conversation
 * completeness"), as {@code tshark -2} reports it at the end of the stream. Fed every segment in capture
 * order.
 *
 * <p>The rules, checked against TShark 4.0.17 on the third-party corpus:
 * <ul>
 *   <li>SYN without ACK sets SYN, unless a SYN-ACK came first (the stream then started without it);</li>
 *   <li>SYN with ACK sets SYN-ACK;</li>
 *   <li>a segment with ACK and no SYN sets DATA if it carries payload, else ACK;</li>
 *   <li>payload on a SYN (TCP Fast Open) sets DATA;</li>
 *   <li>FIN sets FIN only together with ACK; RST sets RST;</li>
 *   <li>a stream of a single segment reports nothing unless that segment is a bare SYN.</li>
 * </ul>
 */
public final class CompletenessTracker {
    /** A SYN without ACK was seen. */
    public static final int SYN = 1;
    /** A SYN-ACK was seen. */
    public static final int SYN_ACK = 2;
    /** An ACK without payload was seen. */
    public static final int ACK = 4;
    /** A segment with payload was seen. */
    public static final int DATA = 8;
    /** A FIN with ACK was seen. */
    public static final int FIN = 16;
    /** An RST was seen. */
    public static final int RST = 32;

    private int value;
    private long segments;
    private boolean firstWasBareSyn;

    /** Reads this object so that it is in the cache for the next segment; the result means nothing. */
    public long touch() {
        return segments;
    }

    /** Takes the connection's next segment, in capture order. */
    public void observe(Segment s) {
        segments++;
        boolean bareSyn = s.syn() && !s.hasAck();
        if (segments == 1) {
            firstWasBareSyn = bareSyn;
        }
        if (bareSyn) {
            if ((value & SYN_ACK) == 0) {
                value |= SYN;
            }
        } else if (s.syn()) {
            value |= SYN_ACK;
        } else if (s.hasAck()) {
            value |= s.payloadLength() > 0 ? DATA : ACK;
        }
        if (s.syn() && s.payloadLength() > 0) {
            value |= DATA;
        }
        if (s.fin() && s.hasAck()) {
            value |= FIN;
        }
        if (s.rst()) {
            value |= RST;
        }
    }

    /** {@return the bitmask as {@code tshark -2} reports it at the end of the stream} */
    public int value() {
        return segments == 1 && !firstWasBareSyn ? 0 : value;
    }

    /** Wireshark's rendering: {@code SYN|SYN-ACK|ACK|DATA|FIN|RST}, only the bits set, "-" for none. */
    public static String flags(int completeness) {
        String[] names = {"SYN", "SYN-ACK", "ACK", "DATA", "FIN", "RST"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((completeness & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    // ---- snapshot (the order of fields is the snapshot's version 1) ----

    /** Writes this tracker's state; {@link #readFrom} reads it back. */
    public void writeTo(SnapshotWriter w) {
        w.writeInt(value).writeLong(segments).writeBoolean(firstWasBareSyn);
    }

    /** {@return a tracker in the state {@link #writeTo} wrote} */
    public static CompletenessTracker readFrom(SnapshotReader r) {
        CompletenessTracker t = new CompletenessTracker();
        t.value = r.readInt();
        t.segments = r.readLong();
        t.firstWasBareSyn = r.readBoolean();
        return t;
    }
}
