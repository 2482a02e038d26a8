package dev.finwait.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pull-style stream of frames: a file reader, several files merged, or a live interface.
 * {@link #next()} returns null at the end; the returned frame's bytes stay valid until the next call.
 * Bad bytes raise {@link CaptureFormatException} after every good frame before them was returned.
 */
public interface FrameSource extends Closeable {
    Frame next() throws IOException;

    /** A short name for messages: the file name, "-" for standard input, the interface name. */
    String name();
}
