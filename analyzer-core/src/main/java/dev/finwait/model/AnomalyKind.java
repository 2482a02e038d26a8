package dev.finwait.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The closed set of odd things a connection can show without stopping the analysis. Each has the
 * name written in every output format and, where Zeek reports the same thing, the name of Zeek's
 * "weird".
 */
public enum AnomalyKind {
    /** The capture starts at the SYN-ACK: the client's SYN was not captured. */
    SYN_NOT_SEEN("syn not seen", null),
    /** SYN and FIN in one segment. */
    SYN_WITH_FIN("syn with fin", null),
    /** Payload sent after an RST of either side. */
    DATA_AFTER_RST("data after rst", "data_after_reset"),
    /** An RST whose sequence number the receiver would not accept (RFC 9293 3.10.7.4): ignored. */
    RST_OUT_OF_WINDOW("rst out of window", null),
    /** A bad TCP checksum, with checksum verification on: the segment is left out of the state machine. */
    BAD_CHECKSUM("bad checksum", "bad_TCP_checksum"),
    /** No packet for longer than the idle timeout: finished as it stood. */
    EXPIRED_IDLE("expired idle", null),
    // A stimulus the side's state does not expect (the transition table marks it impossible): one kind each.
    /** A side sent a SYN in a state that does not send one (after the handshake, say). */
    UNEXPECTED_SEND_SYN,
    /** A side sent a SYN-ACK in a state that does not send one. */
    UNEXPECTED_SEND_SYN_ACK,
    /** A side sent a FIN in a state that does not send one. */
    UNEXPECTED_SEND_FIN,
    /** A side sent an RST in a state where the table does not expect one. */
    UNEXPECTED_SEND_RST,
    /** A side was shown to receive a SYN in a state that cannot take one. */
    UNEXPECTED_RECV_SYN,
    /** A side was shown to receive a SYN-ACK in a state that cannot take one. */
    UNEXPECTED_RECV_SYN_ACK,
    /** A side was shown to receive the ACK of its SYN in a state that cannot take it. */
    UNEXPECTED_RECV_ACK_OF_SYN,
    /** A side was shown to receive a FIN in a state that cannot take one. */
    UNEXPECTED_RECV_FIN,
    /** A side was shown to receive the ACK of its FIN in a state that cannot take it. */
    UNEXPECTED_RECV_ACK_OF_FIN,
    /** A side was shown to receive an RST in a state that cannot take one. */
    UNEXPECTED_RECV_RST,
    /** A segment of a connection whose handshake was not captured, where the side's state does not allow it. */
    UNEXPECTED_MIDSTREAM;

    private final String jsonName;
    private final String zeekWeird;

    AnomalyKind(String jsonName, String zeekWeird) {
        this.jsonName = jsonName;
        this.zeekWeird = zeekWeird;
    }

    /** "unexpected recv_fin" and the like: the stimulus, lower case. */
    AnomalyKind() {
        this.jsonName = "unexpected " + name().substring("UNEXPECTED_".length()).toLowerCase(Locale.ROOT);
        this.zeekWeird = null;
    }

    /** The name in every output format ({@code "expired idle"}); stable, part of the JSONL contract. */
    public String jsonName() {
        return jsonName;
    }

    /** The name of the Zeek weird that reports the same thing, if Zeek has one. */
    public Optional<String> zeekWeird() {
        return Optional.ofNullable(zeekWeird);
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
