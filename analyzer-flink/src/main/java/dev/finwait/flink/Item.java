package dev.finwait.flink;

import dev.finwait.tcp.Segment;

/**
 * What the source emits: a decoded TCP segment of capture point {@code point} (with how much of its
 * payload was captured), or, once per file, the file's {@link FileDone}.
 */
record Item(int point, Segment segment, int capturedPayload, FileDone done) {
    static Item segment(int point, Segment s, int capturedPayload) {
        return new Item(point, s, capturedPayload, null);
    }

    static Item done(FileDone d) {
        return new Item(d.point(), null, 0, d);
    }

    Key key() {
        return segment != null ? new Key(point, segment.flowKey()) : Key.CONTROL;
    }
}
