package dev.finwait.model;

/**
 * What one side sent, counted as tshark counts it: retransmissions included.
 *
 * @param packets         TCP segments
 * @param payloadBytes    TCP payload bytes on the wire (retransmitted bytes count again)
 * @param syn             segments with SYN and without ACK
 * @param synAck          segments with SYN and ACK
 * @param fin             segments carrying FIN
 * @param rst             segments carrying RST
 * @param retransmissions segments that resent sequence space already sent (keepalive and zero-window probes
 *                        are not counted)
 * @param ipBytes         the IP total lengths of those packets summed, as Zeek's {@code orig_ip_bytes} (0 for
 *                        hand-built segments, which have no IP layer)
 * @param duplicates      segments captured twice (the same IPv4 identification and header as the side's
 *                        previous segment: a duplicating network or capture point), counted in
 *                        {@code packets} but not in {@code retransmissions}
 */
public record SideCounts(long packets, long payloadBytes, int syn, int synAck, int fin, int rst, int retransmissions,
                         long ipBytes, int duplicates) {
    /** Nothing sent: a side the capture never saw. */
    public static final SideCounts ZERO = new SideCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counts without duplicates. */
    public SideCounts(long packets, long payloadBytes, int syn, int synAck, int fin, int rst, int retransmissions,
                      long ipBytes) {
        this(packets, payloadBytes, syn, synAck, fin, rst, retransmissions, ipBytes, 0);
    }
}
