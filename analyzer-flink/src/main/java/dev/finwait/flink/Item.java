package dev.finwait.flink;

import dev.finwait.tcp.Segment;

/**
 * What the source emits: a decoded TCP segment of capture point {@code point} (with how much of its
 * payload was captured), once per file and analysis task the file's {@link FileDone} (under a key
 * of that task: {@code point} is then the key's negative number), or the capture clock's steps: the
 * packet times at which the latest time so far went up ({@code clock}, for the order in which the
 * CLI's flow table wakes flows: see {@link Out}).
 */
record Item(int point, Segment segment, int capturedPayload, FileDone done, long[] clock) {
    static Item segment(int point, Segment s, int capturedPayload) {
        return new Item(point, s, capturedPayload, null, null);
    }

    /** A copy of a file's totals, sent under the key {@code route} ({@link Job#routes}: one per analysis task). */
    static Item done(FileDone d, int route) {
        return new Item(route, null, 0, d, null);
    }

    static Item clock(int point, long[] steps) {
        return new Item(point, null, 0, null, steps);
    }

    Key key() {
        if (segment != null) {
            return new Key(point, segment.flowKey());
        }
        return point < Key.CONTROL.point() ? new Key(point, null) : Key.CONTROL;
    }
}
