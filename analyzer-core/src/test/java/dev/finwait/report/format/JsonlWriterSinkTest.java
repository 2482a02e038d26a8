package dev.finwait.report.format;

import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.model.CaptureSummary;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte sink and the text sink of {@link JsonlWriter} write the same UTF-8 text. */
class JsonlWriterSinkTest {

    private static String viaWriter(CaptureSummary s) {
        StringWriter w = new StringWriter();
        new JsonlWriter(w).end(s);
        return w.toString();
    }

    private static String viaStream(CaptureSummary s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new JsonlWriter(b).end(s);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapedAndNonAsciiTextIsTheSameEitherWay() {
        String awkward = "caf\u00e9 \"quoted\" back\\slash tab\t nl\n nul\u0000 emoji \uD83D\uDE00 lone \uD800 end";
        CaptureSummary s = new CaptureSummary(3, 2, 1, 0, 1, Map.of(new DecodeProblem(DecodeReason.LINK_TYPE, 147), 1L, DecodeProblem.of(DecodeReason.UDP), 2L), awkward);
        String text = viaWriter(s);
        assertEquals(text, viaStream(s));
        assertEquals(true, text.contains("caf\u00e9"));
    }

    @Test
    void plainSummaryIsTheSameEitherWay() {
        CaptureSummary s = new CaptureSummary(1_000_009, 1_000_000, 83_901, 0, 9, Map.of(), null);
        assertEquals(viaWriter(s), viaStream(s));
    }
}
