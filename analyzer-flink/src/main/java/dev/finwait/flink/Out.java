package dev.finwait.flink;

/**
 * What the keyed analysis hands to the final stage: a finished connection as its JSONL line (with the
 * provisional id {@code tempId}), a flow still live at the end of its input as its snapshot (finished
 * there, at the capture's last time), or a file's totals.
 */
record Out(Kind kind, int point, long tempId, long firstNanos, long firstFrame, byte[] bytes, FileDone done) {
    enum Kind { FINISHED, PENDING, FILE_DONE }

    static Out finished(int point, long tempId, long firstNanos, long firstFrame, byte[] line) {
        return new Out(Kind.FINISHED, point, tempId, firstNanos, firstFrame, line, null);
    }

    static Out pending(int point, byte[] snapshot) {
        return new Out(Kind.PENDING, point, 0, 0, 0, snapshot, null);
    }

    static Out fileDone(FileDone d) {
        return new Out(Kind.FILE_DONE, d.point(), 0, 0, 0, null, d);
    }
}
