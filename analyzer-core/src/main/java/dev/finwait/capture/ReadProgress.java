package dev.finwait.capture;

/** Told every few thousand frames while a whole source is read: the reader's file offset and the frames so far. */
@FunctionalInterface
public interface ReadProgress {
    /** Tells nobody. */
    ReadProgress NONE = (fileOffset, frames) -> { };

    /**
     * Reading has reached {@code fileOffset} bytes into the (uncompressed) input, after {@code frames} frames.
     *
     * @param fileOffset bytes read so far; with the file's size this gives a fraction done
     * @param frames     frames read so far
     */
    void at(long fileOffset, long frames);
}
