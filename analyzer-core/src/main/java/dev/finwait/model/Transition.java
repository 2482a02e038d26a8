package dev.finwait.model;

import dev.finwait.model.TcpState;

/**
 * One side entered {@code state} at {@code atNanos} because of frame {@code frame}.
 * {@code inferred} is true when no packet showed the change directly (a missing final ACK,
 * a capture that starts mid-stream, a state implied by the peer's answer).
 */
public record Transition(TcpState state, long atNanos, long frame, boolean inferred) {
}
