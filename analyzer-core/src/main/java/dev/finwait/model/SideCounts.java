package dev.finwait.model;

/**
 * Per-direction counters, counted as tshark counts them: retransmissions included;
 * {@code syn} = SYN without ACK, {@code synAck} = SYN with ACK, {@code fin}/{@code rst} = segments carrying the flag.
 */
public record SideCounts(long packets, long payloadBytes, int syn, int synAck, int fin, int rst, int retransmissions) {
    public static final SideCounts ZERO = new SideCounts(0, 0, 0, 0, 0, 0, 0);
}
