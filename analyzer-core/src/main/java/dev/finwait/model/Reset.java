package dev.finwait.model;

import dev.finwait.model.TcpState;

/**
 * One RST segment: who sent it, in which state, whether it carried ACK, whether its sequence
 * number was acceptable to the receiver (RFC 9293 3.10.7.4 / RFC 5961 3.2), and why; and the receive
 * window its sender advertised before it ({@code senderWindow}, null when the sender had advertised
 * none): what tells a close with unread input from a deliberate abort when both send a lone RST.
 */
public record Reset(Side by, long atNanos, long frame, TcpState senderState, boolean withAck, boolean acceptable,
                    ResetCause cause, ReceiveWindow senderWindow) {
}
