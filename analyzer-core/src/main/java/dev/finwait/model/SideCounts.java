package dev.finwait.model;

/**
 * Per-direction counters, counted as tshark counts them: retransmissions included;
 * {@code syn} = SYN without ACK, {@code synAck} = SYN with ACK, {@code fin}/{@code rst} = segments carrying the flag;
 * {@code ipBytes} = the IP total lengths of those packets summed, as Zeek's {@code orig_ip_bytes} (0 for
 * hand-built segments, which have no IP layer); {@code duplicates} = segments captured twice (the same IPv4
 * identification and header as the side's previous segment: a duplicating network or capture point), counted
 * in {@code packets} but not in {@code retransmissions}.
 */
public record SideCounts(long packets, long payloadBytes, int syn, int synAck, int fin, int rst, int retransmissions,
                         long ipBytes, int duplicates) {
    public static final SideCounts ZERO = new SideCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Counts without duplicates. */
    public SideCounts(long packets, long payloadBytes, int syn, int synAck, int fin, int rst, int retransmissions,
                      long ipBytes) {
        this(packets, payloadBytes, syn, synAck, fin, rst, retransmissions, ipBytes, 0);
    }
}
