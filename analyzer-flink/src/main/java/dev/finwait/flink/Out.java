package dev.finwait.flink;

/**
 * What the keyed analysis hands to the final stage: a finished connection as its report's bytes
 * ({@link RecordBytes}, under the provisional id {@code tempId}), a flow still live at the end of its
 * input as its snapshot (finished there, at the capture's last time), or a file's totals.
 *
 * <p>{@code orderNanos}, {@code orderPhase} and {@code orderSeq} say when the CLI's one flow table
 * would have finished the connection, so that the diagnosis sees the reports in the CLI's order (its
 * examples are the first connections it saw): at a deadline ({@link #WOKEN}, in order of the deadline
 * and then of the id, as the table's wake-ups: the table wakes a flow early, at times {@link WakeUps}
 * follows, and when no packet moved its clock between such a wake-up and the deadline, the flow
 * finishes at that wake-up, which the final stage tells from the clock's steps), at a packet of its own 4-tuple ({@link #AT_PACKET},
 * after the wake-ups due by then, by frame), or at the end of the input ({@link #AT_END}, by id).
 */
record Out(Kind kind, int point, long tempId, long firstNanos, long firstFrame, long orderNanos, int orderPhase,
           long orderSeq, byte[] bytes, FileDone done, long[] longs, String line) {
    /** {@code longs}: FINISHED at a wake-up, and PENDING: {@link WakeUps}; CLOCK: the clock's steps ({@link Item}). */
    enum Kind { FINISHED, PENDING, FILE_DONE, CLOCK }

    static final int WOKEN = 0;
    static final int AT_PACKET = 1;
    static final int AT_END = 2;

    /** {@code line}: BATCH, the connection's line under its provisional id (the final task puts in the final one), or null. */
    static Out finished(int point, long tempId, long firstNanos, long firstFrame, long orderNanos, int orderPhase,
                        long orderSeq, byte[] report, long[] wakeUps, String line) {
        return new Out(Kind.FINISHED, point, tempId, firstNanos, firstFrame, orderNanos, orderPhase, orderSeq, report,
                null, wakeUps, line);
    }

    static Out pending(int point, byte[] snapshot, long[] wakeUps) {
        return new Out(Kind.PENDING, point, 0, 0, 0, 0, 0, 0, snapshot, null, wakeUps, null);
    }

    static Out fileDone(FileDone d) {
        return new Out(Kind.FILE_DONE, d.point(), 0, 0, 0, 0, 0, 0, null, d, null, null);
    }

    static Out clock(int point, long[] steps) {
        return new Out(Kind.CLOCK, point, 0, 0, 0, 0, 0, 0, null, null, steps, null);
    }
}
