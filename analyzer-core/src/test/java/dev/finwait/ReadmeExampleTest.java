package dev.finwait;
import dev.finwait.model.AnalyzerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.Reset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's library example, kept compiling and true on a bundled capture. */
class ReadmeExampleTest {
    private static final Path SAMPLES = Fixtures.samples();

    @Test
    void wholeFileReportsInMemory() throws Exception {
        List<String> lines = new ArrayList<>();
        AnalysisResult result = Analyzer.analyze(CaptureReaders.open(SAMPLES.resolve("write-after-close.pcap")),
                AnalyzerConfig.defaults(), AnalysisListener.NONE);
        for (ConnectionReport c : result.connections()) {
            for (Reset r : c.resets()) {
                lines.add(String.format("%s -> %s: RST by %s in %s (%s)",
                        c.client(), c.server(), r.by(), r.senderState(), r.cause()));
            }
        }
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("RST by CLIENT in FIN_WAIT_2 (DATA_AFTER_CLOSE)"), lines.get(0));
    }

    @Test
    void streamingWithBoundedMemory() throws Exception {
        List<String> lines = new ArrayList<>();
        AnalyzerConfig config = AnalyzerConfig.defaults().withRfcTimeWait().withRetainConnections(false);
        AnalysisResult result = Analyzer.builder(config).eventListener(new AnalysisListener() {
            @Override
            public void onEvent(ConnectionEvent event) {
                if (event instanceof ConnectionEvent.TimeWaitStarted tw) {
                    lines.add(tw.key() + ": " + tw.side() + " in TIME_WAIT");
                }
            }
        }).build().analyzeAll(CaptureReaders.open(SAMPLES.resolve("close-normal.pcap")));
        assertEquals(List.of(), result.connections(), "not retained");
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("CLIENT in TIME_WAIT"), lines.get(0));
    }
}
