package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ByteSizeConverterTest {
    private final ByteSizeConverter sizes = new ByteSizeConverter();

    @Test
    void unitsArePowersOf1024() {
        assertEquals(4096, sizes.convert("4096"));
        assertEquals(512 << 10, sizes.convert("512k"));
        assertEquals(64 << 20, sizes.convert("64m"));
        assertEquals(64 << 20, sizes.convert("64MB"));
        assertEquals(64 << 20, sizes.convert("64MiB"));
        assertEquals(1 << 30, sizes.convert("1g"));
        assertEquals(2047 << 20, sizes.convert("2047m"));
    }

    @Test
    void zeroTooLargeAndWordsAreRejected() {
        for (String bad : new String[] {"0", "0m", "2g", "2048m", "99999999999999999999", "big", "-1m", "1.5m"}) {
            CommandLine.TypeConversionException e =
                    assertThrows(CommandLine.TypeConversionException.class, () -> sizes.convert(bad), bad);
            assertEquals(true, e.getMessage().startsWith("'" + bad + "'"), e.getMessage());
        }
    }
}
