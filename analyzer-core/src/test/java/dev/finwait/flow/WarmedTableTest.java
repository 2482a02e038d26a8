package dev.finwait.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.bench.LiveTraffic;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@link FlowTable#warm} changes nothing: the same reports in the same order whether the segments come one
 * at a time or in warmed groups, also when the warmed segments are not the ones accepted next, and when
 * connections finish (and their 4-tuples open again) between a warm-up and the segments it read for. The
 * tables here warm from the first flow on (the CLI's from 65,536).
 */
class WarmedTableTest {
    private static final int CONNECTIONS = 5_000;

    private static List<ConnectionReport> run(AnalyzerConfig config, int warmMin, Segment[] segments,
                                              BiConsumer<FlowTable, Segment[]> feed) {
        List<ConnectionReport> reports = new ArrayList<>();
        FlowTable table = new FlowTable(new Flow.Context(config, ConnectionIds.sequential(), null,
                c -> reports.add(ConnectionVerdict.report(c))), warmMin);
        feed.accept(table, segments);
        table.finishAll();
        return reports;
    }

    private static void accept(FlowTable t, Segment s) {
        t.accept(s, s, s.payloadLength());
    }

    private static void plain(FlowTable t, Segment[] segments) {
        for (Segment s : segments) {
            accept(t, s);
        }
    }

    /** As the CLI's pipeline: each group warmed, then accepted. */
    private static void grouped(FlowTable t, Segment[] segments) {
        for (int i = 0; i < segments.length; i += FlowTable.WARM_GROUP) {
            int end = Math.min(i + FlowTable.WARM_GROUP, segments.length);
            t.warm(segments, i, end);
            for (int j = i; j < end; j++) {
                accept(t, segments[j]);
            }
        }
    }

    /** Warms groups of random length at random places, mostly the next segments, sometimes others. */
    private static void erratic(FlowTable t, Segment[] segments) {
        SplittableRandom random = new SplittableRandom(7);
        int i = 0;
        while (i < segments.length) {
            int n = 1 + random.nextInt(FlowTable.WARM_GROUP + 2);
            int from = random.nextInt(10) == 0 ? random.nextInt(segments.length) : i;
            t.warm(segments, from, Math.min(segments.length, from + n));
            int take = Math.min(segments.length - i, random.nextInt(FlowTable.WARM_GROUP + 1));
            for (int j = 0; j < take; j++) {
                accept(t, segments[i++]);
            }
        }
    }

    private static Segment[] liveTraffic() {
        LiveTraffic t = new LiveTraffic(CONNECTIONS);
        Segment[] open = t.handshakes().decode();
        Segment[] data = t.traffic(4 * CONNECTIONS, 3).decode();
        Segment[] close = t.closes().decode();
        Segment[] again = t.handshakes().decode(); // the same handshakes again: into TIME_WAIT, or a new incarnation
        List<Segment> all = new ArrayList<>();
        for (Segment[] part : new Segment[][] {open, data, close, again}) {
            all.addAll(List.of(part));
        }
        return all.toArray(Segment[]::new);
    }

    private static void assertSameEveryWay(AnalyzerConfig config, Segment[] segments, int expectedAtLeast) {
        List<ConnectionReport> expected = run(config, Integer.MAX_VALUE, segments, WarmedTableTest::plain);
        assertTrue(expected.size() >= expectedAtLeast, expected.size() + " reports");
        assertEquals(expected, run(config, 0, segments, WarmedTableTest::plain));
        assertEquals(expected, run(config, 0, segments, WarmedTableTest::grouped));
        assertEquals(expected, run(config, 0, segments, WarmedTableTest::erratic));
    }

    @Test
    void warmedGroupsGiveTheSameReportsAsOneSegmentAtATime() {
        assertSameEveryWay(AnalyzerConfig.defaults(), liveTraffic(), CONNECTIONS);
    }

    @Test
    void connectionsThatFinishBetweenTheWarmUpAndTheirSegmentsAreLookedUpAgain() {
        // TIME_WAIT 5 ms and frames 1 µs apart: connections finish on other flows' packets all through the
        // run, and the second handshakes open new incarnations.
        AnalyzerConfig config = AnalyzerConfig.defaults().withTimeWait(Duration.ofMillis(5))
                .withIdleTimeout(Duration.ofMillis(50));
        assertSameEveryWay(config, liveTraffic(), CONNECTIONS + 1);
    }

    @Test
    void aFlowThatFinishesAtItsOwnNextSegmentIsNotTakenFromTheWarmUp() {
        // Frames are 1 µs apart and the closes take 3 per connection: with TIME_WAIT 2 µs shorter than the
        // closes, each connection's deadline is the time of its own second SYN, so it is live when that
        // SYN's group is warmed and finished when the SYN is accepted.
        AnalyzerConfig config = AnalyzerConfig.defaults()
                .withTimeWait(Duration.ofNanos((3L * CONNECTIONS - 2) * 1_000));
        assertSameEveryWay(config, liveTraffic(), 2 * CONNECTIONS);
    }
}
