package dev.finwait.model;

import dev.finwait.model.TcpState;

/**
 * One side entered {@code state} at {@code atNanos} because of frame {@code frame}.
 *
 * @param state    the state entered
 * @param atNanos  capture time of the change, nanoseconds since the epoch
 * @param frame    number of the frame that caused it (1-based, as tshark numbers frames)
 * @param inferred no packet showed the change directly (a missing final ACK, a capture that starts
 *                 mid-stream, a state implied by the peer's answer)
 */
public record Transition(TcpState state, long atNanos, long frame, boolean inferred) {

    /**
     * The unmodifiable list of the first {@code count} transitions packed in {@code words} (copied), two
     * words each: the time, then {@code frame << 6 | state.ordinal() << 1 | (inferred ? 1 : 0)} (the state
     * machine's own form; the frame is 0 or more). A {@link SideReport} keeps it without another copy.
     */
    public static java.util.List<Transition> unpacking(long[] words, int count) {
        return new PackedTransitions(words, count, false);
    }

    /**
     * As {@link #unpacking}, over {@code words} itself, which the caller hands over: nothing may change it
     * afterwards (the verdict on a finished connection, whose state machine is never fed again; the copy
     * was a quarter of the report thread's allocation on 10 M packets).
     */
    public static java.util.List<Transition> adopting(long[] words, int count) {
        return new PackedTransitions(words, count, true);
    }
}
