package dev.finwait.model;

import dev.finwait.model.TcpState;

/**
 * One RST segment and why it was sent.
 *
 * @param by          the side that sent it
 * @param atNanos     capture time, nanoseconds since the epoch
 * @param frame       its frame number (1-based)
 * @param senderState the sender's state when it sent the RST
 * @param withAck     the RST carried ACK
 * @param acceptable  its sequence number was acceptable to the receiver (RFC 9293 3.10.7.4 / RFC 5961 3.2);
 *                    one that is not is ignored by the receiver's kernel
 * @param cause       why it was sent, as far as the packets tell
 * @param senderWindow the receive window its sender advertised before it, null when it had advertised
 *                    none: what tells a close with unread input from a deliberate abort when both send
 *                    a lone RST
 */
public record Reset(Side by, long atNanos, long frame, TcpState senderState, boolean withAck, boolean acceptable,
                    ResetCause cause, ReceiveWindow senderWindow) {
}
