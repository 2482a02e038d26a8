package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The division-free digits print exactly what Long.toString and Times.epochSeconds print. */
class DecimalTest {

    private static String number(long v) {
        byte[] buf = new byte[Decimal.MAX_LONG + 3];
        buf[0] = 'x'; // written after whatever precedes it
        int end = Decimal.write(buf, 1, v);
        return new String(buf, 1, end - 1, StandardCharsets.US_ASCII);
    }

    private static String epochSeconds(long nanos) {
        byte[] buf = new byte[Decimal.MAX_EPOCH_SECONDS + 3];
        int end = Decimal.writeEpochSeconds(buf, 2, nanos);
        return new String(buf, 2, end - 2, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 11, 99, 100, 101, 999_999_999, 1_000_000_000, 1_000_000_001,
            Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 4_294_967_295L, 4_294_967_296L, 9_999_999_999L,
            999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, -1, -9, -10,
            Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, -1_000_000_000L, Long.MIN_VALUE + 1, Long.MIN_VALUE})
    void edgesOfEveryWidth(long v) {
        assertEquals(Long.toString(v), number(v));
    }

    @Property(tries = 3000)
    void anyLong(@ForAll long v) {
        assertEquals(Long.toString(v), number(v));
    }

    @Property(tries = 3000)
    void anySmallInt(@ForAll @LongRange(min = 0, max = 100_000) long v) {
        assertEquals(Long.toString(v), number(v));
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000_000_000L, 1_000_000_001L, 1_000_001_000L, 1_999_999_999L, 1_700_000_000_005_696_000L,
            1_700_000_000_000_000_000L, 1_700_000_000_000_000_001L, 1_700_000_000_123_456_789L,
            2_147_483_647_999_999_999L, 2_147_483_648_000_000_000L, 4_294_967_296_000_001_000L, Long.MAX_VALUE})
    void epochSecondsAsTimesPrintsThem(long nanos) {
        assertEquals(Times.epochSeconds(nanos).toString(), epochSeconds(nanos));
    }

    @Property(tries = 3000)
    void anyEpochSeconds(@ForAll @LongRange(min = 1_000_000_000L, max = Long.MAX_VALUE) long nanos) {
        assertEquals(Times.epochSeconds(nanos).toString(), epochSeconds(nanos));
    }

    @Property(tries = 1000)
    void anyMicrosecondTime(@ForAll @LongRange(min = 1_000_000L, max = 9_223_372_036_854_775L) long micros) {
        long nanos = micros * 1000;
        assertEquals(Times.epochSeconds(nanos).toString(), epochSeconds(nanos));
    }

    @Test
    void timesBeforeOneSecondAreNotItsJob() {
        assertThrows(IllegalArgumentException.class, () -> epochSeconds(999_999_999L));
        assertThrows(IllegalArgumentException.class, () -> new Decimal.EpochSeconds().write(new byte[40], 0, 999_999_999L));
    }

    /** The cached digits of the last second never leak into the next time: same seconds, new ones, back again. */
    @Property(tries = 300)
    void epochSecondsWithTheCacheAsWithout(@ForAll java.util.List<@net.jqwik.api.constraints.IntRange(min = 0, max = 6) Integer> seconds,
                                           @ForAll @LongRange(min = 0, max = 999_999_999L) long fractionSeed) {
        long[] second = {1L, 9L, 10L, 999_999_999L, 1_700_000_000L, 1_700_000_001L, 9_223_372_035L};
        Decimal.EpochSeconds cached = new Decimal.EpochSeconds();
        byte[] buf = new byte[Decimal.MAX_EPOCH_SECONDS + 3];
        long f = fractionSeed;
        for (int i : seconds) {
            f = (f * 6364136223846793005L + 1442695040888963407L) >>> 1;
            long fraction = f % 1_000_000_000L;
            long nanos = second[i] * 1_000_000_000L + (i % 2 == 0 ? fraction / 1000 * 1000 : fraction);
            int end = cached.write(buf, 1, nanos);
            assertEquals(Times.epochSeconds(nanos).toString(), new String(buf, 1, end - 1, StandardCharsets.US_ASCII));
        }
    }
}
