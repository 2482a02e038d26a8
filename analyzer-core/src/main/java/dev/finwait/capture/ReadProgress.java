package dev.finwait.capture;

/** Told every few thousand frames while a whole source is read: the reader's file offset and the frames so far. */
@FunctionalInterface
public interface ReadProgress {
    ReadProgress NONE = (fileOffset, frames) -> { };

    void at(long fileOffset, long frames);
}
