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
    /** "00" to "99": two digits per step, half the multiply-and-shift steps of one digit at a time. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

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
        int p = end;
        while (p - pos >= 2) {
            int q = div100(v);
            int r = (v - q * 100) << 1;
            buf[--p] = PAIRS[r + 1];
            buf[--p] = PAIRS[r];
            v = q;
        }
        if (p > pos) {
            buf[--p] = (byte) ('0' + (v - div10(v) * 10));
        }
        return end;
    }

    /**
     * {@link #writeEpochSeconds} for a run of times that mostly share their second (a report's times do,
     * and the next report's): the digits of the last second are kept and copied.
     */
    static final class EpochSeconds {
        private long second = -1;
        private final byte[] digits = new byte[MAX_LONG];
        private int length;

        int write(byte[] buf, int pos, long nanos) {
            if (nanos < 1_000_000_000L) {
                throw new IllegalArgumentException("before 1 s: " + nanos);
            }
            long s = nanos / 1_000_000_000L;
            int fraction = (int) (nanos - s * 1_000_000_000L);
            if (s != second) {
                length = Decimal.write(digits, 0, s);
                second = s;
            }
            System.arraycopy(digits, 0, buf, pos, length);
            pos += length;
            buf[pos++] = '.';
            return fraction % 1000 == 0 ? writePadded(buf, pos, fraction / 1000, 6) : writePadded(buf, pos, fraction, 9);
        }
    }

    /** v / 100 for 0 <= v < 2^31 (0x51EB851F = ceil(2^37 / 100)). */
    private static int div100(int v) {
        return (int) ((v * 0x51EB851FL) >>> 37);
    }

    /** v / 10 for 0 <= v < 2^32: the multiply-and-shift compilers use (0xCCCCCCCD = ceil(2^35 / 10)). */
    private static int div10(int v) {
        return (int) ((v * 0xCCCCCCCDL) >>> 35);
    }
}
