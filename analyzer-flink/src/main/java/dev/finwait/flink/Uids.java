package dev.finwait.flink;

/**
 * STREAMING names connections as Zeek does, with a uid ("C" and base62 letters), not with numbers in
 * first-seen order over the whole input, which only its end would tell. A uid is made from what the
 * connection's own packets give (its capture point and first frame) through a one-to-one mix: unique,
 * the same in every run and after a restore (so a record written again is the same record), and
 * spread like Zeek's random uids rather than counting up.
 */
final class Uids {
    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** 62^11 > 2^64: every 64-bit value fits. */
    private static final int LENGTH = 11;

    private Uids() {
    }

    /** The uid of the connection with the provisional id {@code tempId} ({@link Analysis#tempId}). */
    static String of(long tempId) {
        long x = mix(tempId);
        char[] c = new char[LENGTH + 1];
        c[0] = 'C';
        for (int i = LENGTH; i >= 1; i--) {
            c[i] = DIGITS[(int) Long.remainderUnsigned(x, 62)];
            x = Long.divideUnsigned(x, 62);
        }
        return new String(c);
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values (xor-shifts and odd multipliers invert). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
