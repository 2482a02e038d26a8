package dev.finwait.capture.live;

/** A live capture could not be opened or went wrong; the message is one line meant for the user. */
public final class LiveCaptureException extends RuntimeException {

    /** What went wrong: each has its own exit code on the command line. */
    public enum Kind {
        /** Not root and no CAP_NET_RAW. */
        PERMISSION,
        /** The interface does not exist. */
        NO_SUCH_INTERFACE,
        /** libpcap could not be loaded. */
        LIBPCAP_MISSING,
        /** libpcap could not compile the capture filter. */
        BAD_FILTER,
        /** The interface is down, or went down during the capture. */
        INTERFACE_DOWN,
        /** Anything else libpcap reported. */
        OTHER
    }

    /** What went wrong; kept in the serialized form. */
    private final Kind kind;

    /** A failure of {@code kind}; {@code message} is the whole line the user sees. */
    public LiveCaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** {@return what went wrong} */
    public Kind kind() {
        return kind;
    }
}
