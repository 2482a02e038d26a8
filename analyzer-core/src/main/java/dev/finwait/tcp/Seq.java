package dev.finwait.tcp;

/**
 * Sequence-number comparison modulo 2^32 (RFC 9293 3.4, RFC 1982 serial arithmetic).
 * Sequence numbers are carried as Java ints holding the 32 raw bits.
 */
public final class Seq {
    private Seq() {
    }

    /** {@code a < b} in sequence space. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a <= b} in sequence space. */
    public static boolean leq(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a > b} in sequence space. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a >= b} in sequence space. */
    public static boolean geq(int a, int b) {
        return a - b >= 0;
    }

    /** Signed distance b - a in sequence space. */
    public static int diff(int a, int b) {
        return b - a;
    }

    /** {@code a <= x < b} in sequence space (window check). */
    public static boolean inWindow(int x, int a, int b) {
        return leq(a, x) && lt(x, b);
    }

    /** The raw 32 bits as an unsigned long, for printing. */
    public static long unsigned(int s) {
        return s & 0xFFFF_FFFFL;
    }
}
