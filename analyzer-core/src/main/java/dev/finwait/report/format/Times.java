package dev.finwait.report.format;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Time formatting shared by the formats: epoch seconds for machines, UTC clock time for people. */
public final class Times {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** Epoch seconds as a decimal: 6 decimals when the capture had microseconds, else 9. */
    public static BigDecimal epochSeconds(long nanos) {
        BigDecimal s = BigDecimal.valueOf(nanos, 9);
        return nanos % 1000 == 0 ? s.setScale(6) : s;
    }

    /** {@return {@code nanos} since the epoch as UTC clock time to the microsecond: {@code 2026-11-26 03:51:52.624288}} */
    public static String clock(long nanos) {
        return CLOCK.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }

    /** A duration in seconds with millisecond precision for people: {@code 0.123s}, {@code 60.000s}. */
    public static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString() + "s";
    }
}
