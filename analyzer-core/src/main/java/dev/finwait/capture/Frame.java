package dev.finwait.capture;

/**
 * One captured frame. {@code data[offset, offset + capturedLength)} holds the bytes as captured;
 * the array may belong to the reader and be overwritten by its next call, so keep a {@link #copy()}
 * if the frame must outlive that.
 *
 * @param number         1-based frame number across the whole input (as tshark numbers frames)
 * @param timeNanos      capture timestamp, nanoseconds since the epoch
 * @param linkType       libpcap LINKTYPE_* value (1 Ethernet, 113 SLL, 276 SLL2, 0 NULL, 101 RAW, ...)
 * @param data           holds the captured bytes (possibly among others: see {@code offset})
 * @param offset         where the frame starts in {@code data}
 * @param capturedLength how many bytes were captured
 * @param originalLength length of the frame on the wire (may exceed capturedLength when snapped)
 * @param fileOffset     byte offset of the record in its (uncompressed) file, -1 for live capture
 */
public record Frame(long number, long timeNanos, int linkType, byte[] data, int offset, int capturedLength,
                    int originalLength, long fileOffset) {

    /** {@return this frame with bytes of its own, which outlive the reader's next call} */
    public Frame copy() {
        byte[] own = java.util.Arrays.copyOfRange(data, offset, offset + capturedLength);
        return new Frame(number, timeNanos, linkType, own, 0, capturedLength, originalLength, fileOffset);
    }
}
