package dev.finwait.model;

/**
 * The receive window a side advertised, in bytes (its window field scaled when both SYNs offered window
 * scaling, RFC 7323 2.2; a SYN's window is never scaled): {@code last} in its last segment before the
 * moment of interest (a RST of its own), {@code max} the largest it advertised in the connection. A
 * window at half its largest or less that never reopened holds input the application had not read:
 * reading it would have reopened the window, and the receiver says so at once (RFC 9293 3.8.6.2.2,
 * Linux's tcp_cleanup_rbuf).
 *
 * @param last the window in bytes in the side's last segment before the moment of interest
 * @param max  the largest window in bytes the side advertised in the connection
 */
public record ReceiveWindow(long last, long max) {
    /** Checks {@code 0 <= last <= max}. */
    public ReceiveWindow {
        if (last < 0 || max < last) {
            throw new IllegalArgumentException("0 <= last <= max, not last " + last + ", max " + max);
        }
    }

    /** Shrunk to half its largest or less (zero included): input the application had not read. */
    public boolean heldUnreadInput() {
        return max > 0 && 2 * last <= max;
    }
}
