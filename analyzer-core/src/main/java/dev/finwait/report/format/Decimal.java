package dev.finwait.report.format;

/**
 * Decimal digits written straight into a byte buffer, with as few long divisions as possible: C1, the
 * compiler that runs short captures and the 1 M-packet benchmark, calls into the VM for every long
 * division or remainder (perf, 1 M-packet jsonl run: SharedRuntime::lrem and ldiv were 3.5 % of all
 * cpu). An int is divided by ten with a multiply and a shift instead.
 */
final class Decimal {
    /** The most bytes {@link #write} writes: {@code -9223372036854775808}. */
    static final int MAX_LONG = 20;
    /** The most bytes {@link #writeEpochSeconds} writes: 10 digits of seconds, the point, 9 decimals. */
    static final int MAX_EPOCH_SECONDS = 20;

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Decimal() {
    }

    /** Writes {@code v} as {@link Long#toString(long)} does at {@code pos}; returns the position after it. */
    static int write(byte[] buf, int pos, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                System.arraycopy(MIN_LONG, 0, buf, pos, MIN_LONG.length);
                return pos + MIN_LONG.length;
            }
            buf[pos++] = '-';
            v = -v;
        }
        if (v <= Integer.MAX_VALUE) {
            return writeInt(buf, pos, (int) v);
        }
        long high = v / 1_000_000_000L; // one division for the digits past the last nine
        pos = write(buf, pos, high);
        return writePadded(buf, pos, (int) (v - high * 1_000_000_000L), 9);
    }

    /**
     * Writes a time of at least 1 s as {@link Times#epochSeconds} prints it: epoch seconds, a point and
     * 6 decimals when the time is whole microseconds, else 9.
     */
    static int writeEpochSeconds(byte[] buf, int pos, long nanos) {
        if (nanos < 1_000_000_000L) {
            throw new IllegalArgumentException("before 1 s: " + nanos);
        }
        long seconds = nanos / 1_000_000_000L;
        int fraction = (int) (nanos - seconds * 1_000_000_000L);
        pos = write(buf, pos, seconds);
        buf[pos++] = '.';
        return fraction % 1000 == 0 ? writePadded(buf, pos, fraction / 1000, 6) : writePadded(buf, pos, fraction, 9);
    }

    private static int writeInt(byte[] buf, int pos, int v) {
        int digits = 1;
        while (digits < POWERS.length && v >= POWERS[digits]) {
            digits++;
        }
        return writePadded(buf, pos, v, digits);
    }

    /** The last {@code width} digits of {@code v} (0 or more), with leading zeros. */
    private static int writePadded(byte[] buf, int pos, int v, int width) {
        int end = pos + width;
        for (int p = end - 1; p >= pos; p--) {
            int q = div10(v);
            buf[p] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        return end;
    }

    /** v / 10 for 0 <= v < 2^32: the multiply-and-shift compilers use (0xCCCCCCCD = ceil(2^35 / 10)). */
    private static int div10(int v) {
        return (int) ((v * 0xCCCCCCCDL) >>> 35);
    }
}
