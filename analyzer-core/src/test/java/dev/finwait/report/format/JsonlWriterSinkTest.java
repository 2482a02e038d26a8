package dev.finwait.report.format;

import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.model.CaptureSummary;
import dev.finwait.Analyzer;
import dev.finwait.Fixtures;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
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

    /** Gathering (the CLI's JSONL): the same bytes, written only as whole lines, kept until enough are or a flush. */
    @Test
    void gatheredLinesAreTheSameBytesInWholeLines() throws IOException {
        List<ConnectionReport> reports = Analyzer.analyze(CaptureReaders.open(Fixtures.samples().resolve("busy.pcap")),
                AnalyzerConfig.defaults(), AnalysisListener.NONE).connections();
        assertTrue(reports.size() > 20, "busy.pcap has many connections");
        CaptureSummary end = new CaptureSummary(1, 1, reports.size(), 0, 0, Map.of(), null);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        JsonlWriter p = new JsonlWriter(plain);
        reports.forEach(p::connection);
        p.end(end);

        List<byte[]> writes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("one byte at a time");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        JsonlWriter g = JsonlWriter.gathering(out, 4000);
        g.connection(reports.get(0));
        assertEquals(0, writes.size(), "one line is kept");
        g.flush();
        assertEquals(1, writes.size(), "a flush writes it");
        for (int i = 1; i < reports.size(); i++) {
            g.connection(reports.get(i));
        }
        g.end(end);
        ByteArrayOutputStream gathered = new ByteArrayOutputStream();
        for (byte[] w : writes) {
            assertTrue(w.length > 0 && w[w.length - 1] == '\n', "whole lines only");
            gathered.write(w);
        }
        assertTrue(writes.size() < reports.size() / 2, writes.size() + " writes for " + reports.size() + " lines");
        assertEquals(plain.toString(StandardCharsets.UTF_8), gathered.toString(StandardCharsets.UTF_8));
    }
}
