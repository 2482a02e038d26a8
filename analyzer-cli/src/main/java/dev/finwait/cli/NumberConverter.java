package dev.finwait.cli;

import picocli.CommandLine;

/** Whole numbers for --port, --count, ...: a bad one in words, not as a Java type name ("not an int"). */
final class NumberConverter {
    private NumberConverter() {
    }

    static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    static int parseInt(String value) {
        long v = parse(value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandLine.TypeConversionException("'" + value + "' is out of range");
        }
        return (int) v;
    }
}
