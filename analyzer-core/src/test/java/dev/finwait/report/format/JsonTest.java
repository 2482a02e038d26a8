package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        Json.string(sb, s);
        return sb.toString();
    }

    @Test
    void scriptEndAndCommentOpenCannotCloseTheDataElement() {
        assertEquals("\"\\u003c/script\\u003e\\u003c!--\"", json("</script><!--"));
    }

    @Test
    void jsonEscapesAndSeparators() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001 \\u0026 \\u2028\\u2029 \u00e9\"", json("a\"b\\c\n\t\u0001 & \u2028\u2029 \u00e9"));
    }
}
