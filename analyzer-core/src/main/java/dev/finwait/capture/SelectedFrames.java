package dev.finwait.capture;

import java.io.IOException;

/**
 * The frames of a source that pass a {@link FrameFilter}, at most {@code limit} of them, each also
 * written to a {@link PcapWriter} when one is given: tcpdump's {@code -r FILE -c N -w OUT 'FILTER'}.
 * Frames keep their numbers in the input, so a report's frame number still finds the frame there.
 */
public final class SelectedFrames implements FrameSource {
    private final FrameSource source;
    private final FrameFilter filter;
    private final long limit;
    private final PcapWriter copy;
    private long passed;
    /** The caller's visitor during {@link #next(FrameVisitor)}; the gate below forwards to it. */
    private FrameVisitor target;
    private boolean accepted;
    private IOException writeFailure;
    private final FrameVisitor gate = this::gate;

    /**
     * @param filter null to take every frame
     * @param limit  at most this many frames (0: no limit)
     * @param copy   null, or where the frames that pass are also written
     */
    public SelectedFrames(FrameSource source, FrameFilter filter, long limit, PcapWriter copy) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (none) or positive: " + limit);
        }
        this.source = source;
        this.filter = filter;
        this.limit = limit;
        this.copy = copy;
    }

    /** Frames that passed so far. */
    public long passed() {
        return passed;
    }

    @Override
    public Frame next() throws IOException {
        while (limit == 0 || passed < limit) {
            Frame f = source.next();
            if (f == null) {
                return null;
            }
            if (filter == null || filter.accepts(f.linkType(), f.data(), f.offset(), f.capturedLength(), f.originalLength())) {
                passed++;
                if (copy != null) {
                    copy.write(f.timeNanos(), f.linkType(), f.data(), f.offset(), f.capturedLength(), f.originalLength());
                }
                return f;
            }
        }
        return null;
    }

    @Override
    public boolean next(FrameVisitor visitor) throws IOException {
        target = visitor;
        while (limit == 0 || passed < limit) {
            accepted = false;
            if (!source.next(gate)) {
                return false;
            }
            if (writeFailure != null) {
                throw writeFailure;
            }
            if (accepted) {
                return true;
            }
        }
        return false;
    }

    private void gate(long number, long timeNanos, int linkType, byte[] data, int offset, int capturedLength,
                      int originalLength, long fileOffset) {
        if (filter != null && !filter.accepts(linkType, data, offset, capturedLength, originalLength)) {
            return;
        }
        accepted = true;
        passed++;
        if (copy != null) {
            try {
                copy.write(timeNanos, linkType, data, offset, capturedLength, originalLength);
            } catch (IOException e) {
                writeFailure = e; // FrameVisitor cannot throw it: raised by next(visitor)
                return;
            }
        }
        target.frame(number, timeNanos, linkType, data, offset, capturedLength, originalLength, fileOffset);
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            if (copy != null) {
                copy.close();
            }
        }
    }
}
