package dev.finwait.report.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.report.CaptureSummary;
import dev.finwait.report.ConnectionReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Writing on a thread of its own changes nothing in the output, and failures come back to the caller. */
class BackgroundWriterTest {
    private static final Path SAMPLES = Path.of(System.getProperty("finwait.samples", "../sample-captures"));

    private static AnalysisResult busy() throws IOException {
        return Analyzer.analyze(CaptureReaders.open(SAMPLES.resolve("busy.pcap")), AnalyzerConfig.defaults(),
                AnalysisListener.NONE);
    }

    private static String write(ReportWriter w, StringWriter sink, AnalysisResult r) {
        // Many times over, so that the hand-over runs through several full batches.
        for (int i = 0; i < 20; i++) {
            for (ConnectionReport c : r.connections()) {
                w.connection(c);
            }
        }
        w.end(r.summary());
        return sink.toString();
    }

    @Test
    void everyTextFormatWritesTheSameBytes() throws IOException {
        AnalysisResult r = busy();
        List<Function<StringWriter, ReportWriter>> formats = List.of(TextWriter::new, JsonlWriter::new,
                CsvWriter::new, ZeekLogWriter::new);
        for (Function<StringWriter, ReportWriter> f : formats) {
            StringWriter direct = new StringWriter();
            StringWriter background = new StringWriter();
            String expected = write(f.apply(direct), direct, r);
            assertEquals(expected, write(new BackgroundWriter(f.apply(background)), background, r));
        }
    }

    @Test
    void jsonlBytesAreTheSame() throws IOException {
        AnalysisResult r = busy();
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        ByteArrayOutputStream background = new ByteArrayOutputStream();
        for (ReportWriter w : List.of(new JsonlWriter(direct), new BackgroundWriter(new JsonlWriter(background)))) {
            for (ConnectionReport c : r.connections()) {
                w.connection(c);
            }
            w.end(r.summary());
        }
        assertArrayEquals(direct.toByteArray(), background.toByteArray());
    }

    @Test
    void aFailingWriterFailsTheCaller() throws IOException {
        AnalysisResult r = busy();
        UncheckedIOException broken = new UncheckedIOException(new IOException("Broken pipe"));
        AtomicInteger written = new AtomicInteger();
        ReportWriter failing = new ReportWriter() {
            @Override
            public void connection(ConnectionReport report) {
                if (written.incrementAndGet() > 300) {
                    throw broken;
                }
            }

            @Override
            public void end(CaptureSummary summary) {
            }
        };
        BackgroundWriter w = new BackgroundWriter(failing);
        UncheckedIOException thrown = assertThrows(UncheckedIOException.class, () -> {
            // Bounded: the failure shows at the latest in end().
            for (int i = 0; i < 1_000; i++) {
                for (ConnectionReport c : r.connections()) {
                    w.connection(c);
                }
            }
            w.end(r.summary());
        });
        assertSame(broken, thrown);
    }

    @Test
    void writersThatWantEventsAreRunInPlace() {
        assertThrows(IllegalArgumentException.class, () -> new BackgroundWriter(new LadderWriter(new StringWriter(), 100)));
    }
}
