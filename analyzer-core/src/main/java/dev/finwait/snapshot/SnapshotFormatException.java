package dev.finwait.snapshot;

/** Bytes that are not a snapshot this version can read: the message says why, in one line. */
public final class SnapshotFormatException extends RuntimeException {
    /** {@code message} is the whole line: what was found, and what was expected there. */
    public SnapshotFormatException(String message) {
        super(message);
    }
}
