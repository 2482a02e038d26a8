package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JsonlWriter escapes strings itself (jackson-core was a library dependency for this alone); the
 * JSONL contract's bytes are what Jackson wrote, so Jackson (a test dependency) is the oracle.
 */
class JsonEscapeTest {

    private static String jackson(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r\f\b", "\u0000\u0001\u001f\u007f",
        "caf\u00e9 \u2603 \ud83d\ude00", "lone \ud800 surrogate", "/slash/", "</script>"})
    void asJacksonEscapes(String s) {
        assertEquals(jackson(s), JsonlWriter.escaped(s));
    }

    @Property(tries = 5000)
    void anyStringAsJacksonEscapesIt(@ForAll String s) {
        assertEquals(jackson(s), JsonlWriter.escaped(s));
    }

    @Property(tries = 2000)
    void anyControlHeavyString(@ForAll @net.jqwik.api.constraints.CharRange(from = 0, to = 0x7f) char[] chars) {
        String s = new String(chars);
        assertEquals(jackson(s), JsonlWriter.escaped(s));
    }
}
