package dev.finwait.capture;

/**
 * Takes one frame's fields without a {@link Frame} object: see {@link FrameSource#next(FrameVisitor)}.
 * The parameters mean what {@link Frame}'s components mean; the bytes are valid only during the call.
 */
@FunctionalInterface
public interface FrameVisitor {
    /** Takes one frame; the parameters are {@link Frame}'s components, in its order. */
    void frame(long number, long timeNanos, int linkType, byte[] data, int offset, int capturedLength,
               int originalLength, long fileOffset);
}
