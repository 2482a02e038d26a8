package dev.finwait.capture;

/**
 * The input is not a readable capture at some point: the one unchecked exception type for bad
 * capture bytes. The message is a complete one-line explanation and names the byte offset.
 */
public class CaptureFormatException extends RuntimeException {
    /** Where the problem was found; kept in the serialized form. */
    private final long offset;

    /**
     * A problem found at {@code offset}.
     *
     * @param offset  byte offset in the (uncompressed) input where the problem was found
     * @param message the whole one-line explanation
     */
    public CaptureFormatException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    /** A problem found at {@code offset}, caused by {@code cause} (a failed inflate, say). */
    public CaptureFormatException(long offset, String message, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /** Byte offset in the (uncompressed) input where the problem was found. */
    public long offset() {
        return offset;
    }
}
