package dev.finwait.capture;

/**
 * What an interface description block says about the packets of one interface
 * (pcapng draft, section 4.2): link type, snapshot length and how to read timestamps.
 *
 * @param linkType        the interface's LINKTYPE_* value
 * @param snaplen         the interface's snapshot length (0: no limit)
 * @param tsResolution raw {@code if_tsresol}: high bit clear = 10^-n seconds, set = 2^-n seconds
 * @param tsOffsetSeconds {@code if_tsoffset}, added to every timestamp
 */
public record PcapngInterface(int linkType, long snaplen, int tsResolution, long tsOffsetSeconds) {
    /** Microseconds, the default when {@code if_tsresol} is absent. */
    static final int DEFAULT_RESOLUTION = 6;

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
    };

    /** Converts a 64-bit timestamp in this interface's units to nanoseconds since the epoch. */
    long nanos(long units) {
        return toNanos(units, tsResolution) + tsOffsetSeconds * 1_000_000_000L;
    }

    static long toNanos(long units, int resolution) {
        int e = resolution & 0x7F;
        if ((resolution & 0x80) == 0) {
            if (e <= 9) {
                return units * POWERS_OF_TEN[9 - e];
            }
            long div = 1;
            for (int i = 9; i < e && div < Long.MAX_VALUE / 10; i++) {
                div *= 10;
            }
            return Long.divideUnsigned(units, div);
        }
        if (e == 0) {
            return units * 1_000_000_000L;
        }
        if (e >= 64) {
            return 0;
        }
        long whole = (units >>> e) * 1_000_000_000L;
        long frac = units & ((1L << e) - 1);
        // frac * 1e9 can exceed 64 bits for fine resolutions: take the 128-bit product, then shift.
        long lo = frac * 1_000_000_000L;
        long hi = Math.multiplyHigh(frac, 1_000_000_000L);
        long fracNanos = (hi << (64 - e)) | (lo >>> e);
        return whole + fracNanos;
    }
}
