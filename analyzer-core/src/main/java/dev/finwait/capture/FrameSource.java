package dev.finwait.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pull-style stream of frames: a file reader, several files merged, or a live interface.
 * {@link #next()} returns null at the end; the returned frame's bytes stay valid until the next call.
 * Bad bytes raise {@link CaptureFormatException} after every good frame before them was returned.
 */
public interface FrameSource extends Closeable {
    /**
     * {@return the next frame, or null at the end}
     *
     * @throws IOException the input could not be read (bad bytes are a {@link CaptureFormatException})
     */
    Frame next() throws IOException;

    /**
     * Hands the next frame to {@code visitor} and returns true, or returns false at the end. The same
     * frames as {@link #next()}; readers that can skip building a {@link Frame} (a 56-byte object per
     * packet) override this, and a whole-file analysis reads through it.
     */
    default boolean next(FrameVisitor visitor) throws IOException {
        Frame f = next();
        if (f == null) {
            return false;
        }
        visitor.frame(f.number(), f.timeNanos(), f.linkType(), f.data(), f.offset(), f.capturedLength(),
                f.originalLength(), f.fileOffset());
        return true;
    }

    /** A short name for messages: the file name, "-" for standard input, the interface name. */
    String name();

    /**
     * Where this source stands after the frame it last returned (after a format error too: the last
     * good frame), for {@link CaptureReaders#resume}. Only a single file's reader has one; merged files
     * and live capture throw {@link UnsupportedOperationException}.
     */
    default ReaderCheckpoint checkpoint() {
        throw new UnsupportedOperationException(name() + ": only a single capture file's reader can be resumed");
    }
}
