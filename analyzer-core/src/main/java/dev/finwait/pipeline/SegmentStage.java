package dev.finwait.pipeline;

import dev.finwait.tcp.Segment;

/**
 * The two halves of the analysis that {@link DecodeAhead} puts on two threads: decoding a frame
 * (on the reader thread, with its own counters) and analyzing the segment (on the calling thread).
 */
public interface SegmentStage {
    /** Decodes one frame and counts the outcome: the TCP segment, or null. */
    Segment decode(long number, long time, int link, byte[] data, int offset, int caplen, int origlen);

    /** Analyzes one decoded segment, of whose payload {@code capturedPayload} bytes were captured. */
    void analyze(Segment s, int capturedPayload);

    /**
     * Told before {@link #analyze} gets {@code segments[from, to)}: a stage may bring what they will touch
     * into the cache (see {@code FlowTable.warm}); it must change nothing. By default nothing is done.
     */
    default void warm(Segment[] segments, int from, int to) {
    }

    /** Frames read so far (TCP or not), told after each batch. */
    void framesRead(long frames);

    /** How much of the segment's payload the frame holds: a frame cut by the snap length loses payload first. */
    static int capturedPayload(int capturedLength, int originalLength, Segment s) {
        // Zeek reports the missing bytes as a content gap.
        int cut = originalLength - capturedLength;
        return cut <= 0 ? s.payloadLength() : Math.max(0, s.payloadLength() - cut);
    }
}
