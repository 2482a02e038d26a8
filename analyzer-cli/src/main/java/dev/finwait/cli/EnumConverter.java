package dev.finwait.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Enum option values as people type them (any case; {@code half-close} or {@code half_close}); a bad
 * one is refused with the valid values listed, in the form the README writes them.
 */
final class EnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;
    private final String what;

    EnumConverter(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    /** How a value is written on the command line: lower case, '-' between words. */
    static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String choices() {
        return Arrays.stream(type.getEnumConstants()).map(EnumConverter::spelling).collect(Collectors.joining(", "));
    }

    @Override
    public E convert(String value) {
        String v = value.trim().replace('_', '-');
        for (E e : type.getEnumConstants()) {
            if (spelling(e).equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a " + what + " (valid: " + choices() + ")");
    }
}
