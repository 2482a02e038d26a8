package dev.finwait.state;

import dev.finwait.model.AnomalyKind;

/**
 * What one side did or had done to it, as told by one segment. Send stimuli apply to the
 * segment's sender; receive stimuli to its receiver (see {@link TransitionTable}).
 */
public enum Stimulus {
    /** Sent SYN without ACK (active open, or a retransmission of it). */
    SEND_SYN,
    /** Sent SYN with ACK (passive open answer, or simultaneous open). */
    SEND_SYN_ACK,
    /** Sent FIN (a retransmitted FIN is not a new one). */
    SEND_FIN,
    /** Sent RST. */
    SEND_RST,
    /** Received the peer's SYN without ACK. */
    RECV_SYN,
    /** Received the peer's SYN with an ACK of our SYN. */
    RECV_SYN_ACK,
    /** Received an ACK that covers our SYN. */
    RECV_ACK_OF_SYN,
    /** Received the peer's FIN (shown by an ACK that covers it, or by what the side sent after it). */
    RECV_FIN,
    /** Received an ACK that covers our FIN (ack >= fin_seq + 1). */
    RECV_ACK_OF_FIN,
    /** Received an acceptable RST. */
    RECV_RST,
    /** First seen in the middle of a connection (no handshake in the capture). */
    MIDSTREAM;

    private final AnomalyKind unexpected = AnomalyKind.valueOf("UNEXPECTED_" + name());

    /** The anomaly of a side that meets this stimulus in a state that does not expect it. */
    AnomalyKind unexpected() {
        return unexpected;
    }
}
