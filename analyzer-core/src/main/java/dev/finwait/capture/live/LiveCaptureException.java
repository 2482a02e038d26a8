package dev.finwait.capture.live;

/** A live capture could not be opened or went wrong; the message is one line meant for the user. */
public final class LiveCaptureException extends RuntimeException {

    public enum Kind { PERMISSION, NO_SUCH_INTERFACE, LIBPCAP_MISSING, BAD_FILTER, INTERFACE_DOWN, OTHER }

    private final Kind kind;

    public LiveCaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
