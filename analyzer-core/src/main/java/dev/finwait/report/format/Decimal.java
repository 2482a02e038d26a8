package dev.finwait.report.format;

/**
 * Decimal digits written straight into a byte buffer, with as few long divisions as possible: C1, the
 * compiler that runs short captures and the 1 M-packet benchmark, calls into the VM for every long
 * division or remainder (perf, 1 M-packet jsonl run: SharedRuntime::lrem and ldiv were 3.5 % of all
 * cpu). An int is divided by a thousand with a multiply and a shift instead, three digits a step.
 */
final class Decimal {
    /** The most bytes {@link #write} writes: {@code -9223372036854775808}. */
    static final int MAX_LONG = 20;
    /** The most bytes {@link #writeEpochSeconds} writes: 10 digits of seconds, the point, 9 decimals. */
    static final int MAX_EPOCH_SECONDS = 20;

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /**
     * "000" to "999": three digits per step, a third of the divisions of one digit at a time. Most numbers
     * of a report are under 1,000 (counts, octets, many ports) and take one look-up.
     */
    private static final byte[] TRIPLES = new byte[3000];

    static {
        for (int i = 0; i < 1000; i++) {
            TRIPLES[3 * i] = (byte) ('0' + i / 100);
            TRIPLES[3 * i + 1] = (byte) ('0' + i / 10 % 10);
            TRIPLES[3 * i + 2] = (byte) ('0' + i % 10);
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
        return nine(buf, pos, (int) (v - high * 1_000_000_000L));
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
        pos = write(buf, pos, seconds);
        return fraction(buf, pos, (int) (nanos - seconds * 1_000_000_000L));
    }

    /** The point and 6 digits of a whole number of microseconds, else 9 digits. */
    private static int fraction(byte[] buf, int pos, int nanos) {
        buf[pos++] = '.';
        int micros = div1000(nanos);
        int millis = div1000(micros);
        pos = triple(buf, pos, millis);
        pos = triple(buf, pos, micros - millis * 1000);
        int rest = nanos - micros * 1000;
        return rest == 0 ? pos : triple(buf, pos, rest);
    }

    /** {@code v} (0 or more) without leading zeros. */
    static int writeInt(byte[] buf, int pos, int v) {
        if (v < 1000) {
            return small(buf, pos, v);
        }
        int q = div1000(v);
        if (v < 1_000_000) {
            pos = small(buf, pos, q);
        } else {
            int qq = div1000(q);
            if (v < 1_000_000_000) {
                pos = small(buf, pos, qq);
            } else {
                int top = div1000(qq); // 1 or 2
                buf[pos++] = (byte) ('0' + top);
                pos = triple(buf, pos, qq - top * 1000);
            }
            pos = triple(buf, pos, q - qq * 1000);
        }
        return triple(buf, pos, v - q * 1000);
    }

    /** {@code v} (0 to 999) without leading zeros: 1 to 3 bytes. */
    static int small(byte[] buf, int pos, int v) {
        int t = 3 * v;
        if (v >= 100) {
            buf[pos] = TRIPLES[t];
            buf[pos + 1] = TRIPLES[t + 1];
            buf[pos + 2] = TRIPLES[t + 2];
            return pos + 3;
        }
        if (v >= 10) {
            buf[pos] = TRIPLES[t + 1];
            buf[pos + 1] = TRIPLES[t + 2];
            return pos + 2;
        }
        buf[pos] = (byte) ('0' + v);
        return pos + 1;
    }

    /** {@code v} (0 to 999) as exactly three digits. */
    private static int triple(byte[] buf, int pos, int v) {
        int t = 3 * v;
        buf[pos] = TRIPLES[t];
        buf[pos + 1] = TRIPLES[t + 1];
        buf[pos + 2] = TRIPLES[t + 2];
        return pos + 3;
    }

    /** {@code v} (0 to 999,999,999) as exactly nine digits. */
    private static int nine(byte[] buf, int pos, int v) {
        int q = div1000(v);
        int qq = div1000(q);
        pos = triple(buf, pos, qq);
        pos = triple(buf, pos, q - qq * 1000);
        return triple(buf, pos, v - q * 1000);
    }

    /**
     * {@link #writeEpochSeconds} for a run of times that mostly share their second (a report's times do,
     * and the next report's): the digits of the last second are kept and copied.
     */
    static final class EpochSeconds {
        /** The last second written, in nanoseconds (a multiple of 10^9; -1 before the first). */
        private long secondNanos = -1;
        private final byte[] digits = new byte[MAX_LONG];
        private int length;

        int write(byte[] buf, int pos, long nanos) {
            long fraction = nanos - secondNanos;
            if (secondNanos < 0 || fraction < 0 || fraction >= 1_000_000_000L) { // another second: no division else
                if (nanos < 1_000_000_000L) {
                    throw new IllegalArgumentException("before 1 s: " + nanos);
                }
                long s = nanos / 1_000_000_000L;
                length = Decimal.write(digits, 0, s);
                secondNanos = s * 1_000_000_000L;
                fraction = nanos - secondNanos;
            }
            System.arraycopy(digits, 0, buf, pos, length);
            return fraction(buf, pos + length, (int) fraction);
        }
    }

    /**
     * v / 1000 for 0 <= v < 2^31, by a multiply and a shift: 0x4189374C = ceil(2^40 / 1000), whose excess
     * (0.224 / 2^40 per unit of v) stays under 1/1000 for any such v, so the floor is never off.
     */
    private static int div1000(int v) {
        return (int) ((v * 0x4189374CL) >>> 40);
    }
}
