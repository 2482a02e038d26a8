package dev.finwait.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Sizes as people type them: {@code 64m}, {@code 512k}, {@code 1g} (powers of 1024), or bytes; 1 byte to 2 GiB - 1. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Integer> {
    private static final Pattern FORM = Pattern.compile("(\\d+)([kmg]?)(?:i?b)?");

    @Override
    public Integer convert(String value) {
        Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 64m, 512k, 1g)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        // at most 10 digits, so the shifted value cannot overflow a long
        long bytes = m.group(1).length() > 10 ? Long.MAX_VALUE : Long.parseLong(m.group(1)) << shift;
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new CommandLine.TypeConversionException("'" + value + "' is out of range (1 byte to 2047m)");
        }
        return (int) bytes;
    }
}
