package dev.finwait.capture;

/**
 * Decides which frames go on to the analysis: a capture filter applied to frames read from files, as
 * tcpdump applies its filter with {@code -r}. The libpcap-compiled one is
 * {@code dev.finwait.capture.live.BpfFilter}; {@link SelectedFrames} applies one to a source.
 */
@FunctionalInterface
public interface FrameFilter {
    /**
     * Whether the frame passes. The bytes are {@code data[offset, offset + capturedLength)}, valid only
     * during the call; {@code originalLength} is the frame's length on the wire (BPF's {@code len}).
     */
    boolean accepts(int linkType, byte[] data, int offset, int capturedLength, int originalLength);
}
