package dev.finwait.tcp;

/**
 * One decoded TCP segment, as seen at the capture point. Holds no packet bytes, so it can be
 * kept after the frame buffer is reused.
 *
 * @param frame         1-based frame number in the capture (as tshark numbers them)
 * @param timeNanos     capture timestamp, nanoseconds since the epoch
 * @param src           the sender
 * @param dst           the receiver
 * @param flags         the header's flag bits ({@link TcpFlags})
 * @param seq           raw 32-bit sequence number
 * @param ack           raw 32-bit acknowledgement number (meaningful only with ACK)
 * @param window        the raw 16-bit window field (not multiplied by the window scale)
 * @param payloadLength TCP payload bytes on the wire (from the IP length, even if the capture was cut short)
 * @param options       the options the analysis reads ({@link TcpOptions#NONE} when there were none)
 * @param checksum      whether the TCP checksum was verified
 * @param ipLength      the IP packet's total length (IPv4 total length, IPv6 40 + payload length) as its
 *                      header gives it, of the innermost IP layer; 0 when not known (a hand-built segment).
 *                      Zeek's {@code orig_ip_bytes} / {@code resp_ip_bytes} are its sums per direction
 * @param ipId          the IPv4 identification of the innermost IP layer (0-65535), or -1 when there is none
 *                      (IPv6, a hand-built segment): with the other fields it tells a segment captured twice
 *                      from a retransmission, which a sender gives a new identification
 */
public record Segment(
        long frame,
        long timeNanos,
        Endpoint src,
        Endpoint dst,
        int flags,
        int seq,
        int ack,
        int window,
        int payloadLength,
        TcpOptions options,
        Checksum checksum,
        int ipLength,
        int ipId) {

    /** A segment without its IP length (built by hand, not decoded): {@link #ipLength()} is 0. */
    public Segment(long frame, long timeNanos, Endpoint src, Endpoint dst, int flags, int seq, int ack, int window,
                   int payloadLength, TcpOptions options, Checksum checksum) {
        this(frame, timeNanos, src, dst, flags, seq, ack, window, payloadLength, options, checksum, 0, -1);
    }

    /** A segment without an IPv4 identification: {@link #ipId()} is -1. */
    public Segment(long frame, long timeNanos, Endpoint src, Endpoint dst, int flags, int seq, int ack, int window,
                   int payloadLength, TcpOptions options, Checksum checksum, int ipLength) {
        this(frame, timeNanos, src, dst, flags, seq, ack, window, payloadLength, options, checksum, ipLength, -1);
    }

    /** TCP checksum verdict; UNCHECKED when the bytes were not all captured or checking was off. */
    public enum Checksum {
        /** Verified and correct. */
        GOOD,
        /** Verified and wrong (checksum offload on the capturing host gives these on every outgoing segment). */
        BAD,
        /** Not verified. */
        UNCHECKED
    }

    /** {@return whether SYN is set} */
    public boolean syn() {
        return (flags & TcpFlags.SYN) != 0;
    }

    /** {@return whether FIN is set} */
    public boolean fin() {
        return (flags & TcpFlags.FIN) != 0;
    }

    /** {@return whether RST is set} */
    public boolean rst() {
        return (flags & TcpFlags.RST) != 0;
    }

    /** {@return whether ACK is set (the acknowledgement number means something only then)} */
    public boolean hasAck() {
        return (flags & TcpFlags.ACK) != 0;
    }

    /** Sequence space this segment occupies: payload plus one each for SYN and FIN (RFC 9293 3.4). */
    public int seqLength() {
        return payloadLength + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    /** {@return the 4-tuple, the same for both directions} */
    public FlowKey flowKey() {
        return FlowKey.of(src, dst);
    }

    @Override
    public String toString() {
        return "#" + frame + " " + src + " > " + dst + " [" + TcpFlags.tcpdump(flags) + "] seq "
                + Seq.unsigned(seq) + " ack " + Seq.unsigned(ack) + " win " + window + " len " + payloadLength;
    }
}
