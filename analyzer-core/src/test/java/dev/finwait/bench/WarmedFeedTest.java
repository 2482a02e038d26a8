package dev.finwait.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.Analyzer;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.ReadProgress;
import dev.finwait.event.AnalysisListener;
import dev.finwait.flow.FlowTable;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.tcp.Segment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Analyzer#warm} changes nothing: the same reports in the same order whether the segments come one
 * at a time or in warmed groups, also when the warmed segments are not the ones accepted next, and when
 * connections finish and their 4-tuples open again between a warm-up and the segments it read for. The
 * flows are more than the table's threshold for warming (8,192 live), so the warm-up really runs.
 */
class WarmedFeedTest {
    private static final int CONNECTIONS = 10_000;

    private static List<ConnectionReport> run(AnalyzerConfig config, Segment[] segments,
                                              BiConsumer<Analyzer, Segment[]> feed) {
        List<ConnectionReport> reports = new ArrayList<>();
        Analyzer a = new Analyzer(config, new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport report) {
                reports.add(report);
            }
        });
        feed.accept(a, segments);
        a.finish();
        return reports;
    }

    private static void plain(Analyzer a, Segment[] segments) {
        for (Segment s : segments) {
            a.accept(s);
        }
    }

    /** Warms groups of random length at random places, mostly the next segments, sometimes others. */
    private static void erratic(Analyzer a, Segment[] segments) {
        SplittableRandom random = new SplittableRandom(7);
        int i = 0;
        while (i < segments.length) {
            int n = 1 + random.nextInt(FlowTable.WARM_GROUP + 2);
            int from = random.nextInt(10) == 0 ? random.nextInt(segments.length) : i;
            a.warm(segments, from, Math.min(segments.length, from + n));
            int take = Math.min(segments.length - i, random.nextInt(FlowTable.WARM_GROUP + 1));
            for (int j = 0; j < take; j++) {
                a.accept(segments[i++]);
            }
        }
    }

    private static Segment[] liveTraffic() {
        LiveTraffic t = new LiveTraffic(CONNECTIONS);
        Segment[] open = t.handshakes().decode();
        Segment[] data = t.traffic(4 * CONNECTIONS, 3).decode();
        Segment[] close = t.closes().decode();
        Segment[] reopen = t.handshakes().decode(); // the same handshakes again: into TIME_WAIT, or a new incarnation
        List<Segment> all = new ArrayList<>();
        for (Segment[] part : new Segment[][] {open, data, close, reopen}) {
            all.addAll(List.of(part));
        }
        return all.toArray(Segment[]::new);
    }

    @Test
    void warmedGroupsGiveTheSameReportsAsOneSegmentAtATime() {
        Segment[] segments = liveTraffic();
        AnalyzerConfig config = AnalyzerConfig.defaults();
        List<ConnectionReport> expected = run(config, segments, WarmedFeedTest::plain);
        assertEquals(CONNECTIONS, expected.size());
        assertEquals(expected, run(config, segments, LiveConnectionsBench::feedWarmed));
        assertEquals(expected, run(config, segments, WarmedFeedTest::erratic));
    }

    @Test
    void connectionsThatFinishBetweenTheWarmUpAndTheirSegmentsAreLookedUpAgain() {
        // TIME_WAIT 5 ms and frames 1 µs apart: connections finish on other flows' packets all through the run.
        Segment[] segments = liveTraffic();
        AnalyzerConfig config = AnalyzerConfig.defaults().withTimeWait(Duration.ofMillis(5))
                .withIdleTimeout(Duration.ofMillis(50));
        List<ConnectionReport> expected = run(config, segments, WarmedFeedTest::plain);
        assertTrue(expected.size() > CONNECTIONS, expected.size() + " reports");
        assertEquals(expected, run(config, segments, LiveConnectionsBench::feedWarmed));
        assertEquals(expected, run(config, segments, WarmedFeedTest::erratic));
    }

    @Test
    void theCliPipelineWarmsAndGivesTheSameReportsAsOneThread() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureGenerator.write(out, Long.MAX_VALUE, 12_000, 5, 2_000, CaptureGenerator.ETHERNET_MSS);
        byte[] capture = out.toByteArray();
        assertEquals(read(capture, 1), read(capture, 2));
    }

    private static List<ConnectionReport> read(byte[] capture, int threads) throws IOException {
        List<ConnectionReport> reports = new ArrayList<>();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport report) {
                reports.add(report);
            }
        });
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(capture), "test")) {
            a.readAll(source, threads, ReadProgress.NONE);
        }
        a.finish();
        assertEquals(12_000, reports.size());
        return reports;
    }
}
