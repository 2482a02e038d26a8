package dev.finwait.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people type them: {@code 60s}, {@code 4m}, {@code 500ms}, {@code 1h}, a bare number of seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    /** A year: longer values are typos, and capture times plus them must not overflow (292 years of ns). */
    static final double MAX_MILLIS = 365 * 24 * 3_600_000.0;

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 60s, 4m, 500ms)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
        if (millis > MAX_MILLIS) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long (at most 8760h, a year)");
        }
        return Duration.ofNanos((long) (millis * 1_000_000));
    }
}
