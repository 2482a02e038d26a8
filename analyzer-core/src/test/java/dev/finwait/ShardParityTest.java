package dev.finwait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.bench.CaptureGenerator;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.ReadProgress;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.InputError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flows sharded by 4-tuple over N threads give what one thread gives: the same reports, ids and
 * summary, handed to the listener in the same order, for every N (and whatever the threads' timing:
 * nothing here waits for time, the order comes from the merge).
 */
class ShardParityTest {
    private static final int[] SHARDS = {1, 2, 3, 4, 7};

    /** Every report in the order the listener got it, the summary, and the reading's error. */
    private record Run(List<ConnectionReport> reports, CaptureSummary summary, String error) {
    }

    private static Run run(byte[] capture, AnalyzerConfig config, int shards) throws IOException {
        List<ConnectionReport> reports = new ArrayList<>();
        CaptureSummary[] summary = new CaptureSummary[1];
        AnalysisListener collect = new AnalysisListener() {
            @Override
            public void onConnection(ConnectionReport report) {
                reports.add(report);
            }

            @Override
            public void onEnd(CaptureSummary s) {
                summary[0] = s;
            }
        };
        Analyzer analyzer = Analyzer.builder(config).listener(collect).build();
        String error = null;
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(capture), "test")) {
            if (shards == 0) {
                analyzer.readAll(source, 1, ReadProgress.NONE);
            } else {
                analyzer.readAll(source, 2, shards, ReadProgress.NONE);
            }
        } catch (CaptureFormatException e) {
            error = e.getMessage();
            analyzer.inputError(new InputError(error, e.offset()));
        }
        AnalysisResult result = analyzer.finish();
        assertSame(summary[0], result.summary());
        return new Run(reports, summary[0], error);
    }

    @Test
    void anInterruptedCallerStillGetsEveryReportFromFinishBehindTheReportThreadOrSharded() throws IOException {
        // Over a round's 4,096 segments: some rounds are in flight and a partial one waits when finish() starts.
        byte[] pcap = generated(3_000, 5, CaptureGenerator.DEFAULT_RATE);
        Run one = run(pcap, AnalyzerConfig.defaults(), 0);
        // {threads, shards}: the report thread behind one analysis thread (the CLI's default), and shards.
        for (int[] run : new int[][] {{3, 0}, {2, 1}, {2, 3}}) {
            String n = run[0] + " threads, " + run[1];
            List<ConnectionReport> reports = new ArrayList<>();
            Analyzer analyzer = Analyzer.builder(AnalyzerConfig.defaults()).listener(AnalysisListener.onConnections(reports::add))
                    .build();
            try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(pcap), "test")) {
                analyzer.readAll(source, run[0], run[1], ReadProgress.NONE);
            }
            Thread.currentThread().interrupt();
            AnalysisResult result;
            try {
                result = analyzer.finish();
            } finally {
                assertTrue(Thread.interrupted(), n + " shards: the interrupt status is kept (and cleared here)");
            }
            assertEquals(one.summary(), result.summary(), n + " shards");
            assertEquals(one.reports(), reports, n + " shards");
        }
    }

    private static void assertSameForEveryShardCount(byte[] capture, AnalyzerConfig config) throws IOException {
        Run one = run(capture, config, 0);
        for (int n : SHARDS) {
            Run sharded = run(capture, config, n);
            assertEquals(one.error(), sharded.error(), n + " shards");
            assertEquals(one.summary(), sharded.summary(), n + " shards");
            assertEquals(one.reports().size(), sharded.reports().size(), n + " shards");
            for (int i = 0; i < one.reports().size(); i++) {
                assertEquals(one.reports().get(i), sharded.reports().get(i), n + " shards, report " + i);
            }
        }
    }

    private static final List<AnalyzerConfig> CONFIGS = List.of(
            AnalyzerConfig.defaults(),
            // Short timers: many connections finish on other flows' packets, in ties and in one clock step.
            AnalyzerConfig.defaults().withTimeWait(Duration.ofMillis(5)).withIdleTimeout(Duration.ofMillis(50)),
            AnalyzerConfig.defaults().withVerifyChecksums(true).withSkipBadChecksums(true));

    static Stream<Path> captures() {
        List<Path> all = new ArrayList<>(Fixtures.sampleCaptures());
        all.addAll(Fixtures.corpusCaptures());
        return all.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void sampleAndCorpusCapturesGiveTheSameReportsInTheSameOrder(Path capture) throws IOException {
        byte[] bytes = Files.readAllBytes(capture);
        for (AnalyzerConfig config : CONFIGS) {
            assertSameForEveryShardCount(bytes, config);
        }
    }

    @Test
    void aGeneratedCaptureOfManyRoundsGivesTheSameReportsInTheSameOrder() throws IOException {
        byte[] pcap = generated(4_000, 11, CaptureGenerator.DEFAULT_RATE);
        for (AnalyzerConfig config : CONFIGS) {
            assertSameForEveryShardCount(pcap, config);
        }
    }

    /** Generated captures of other seeds and densities, with timers short enough to tie. */
    @Property(tries = 12)
    void generatedCapturesGiveTheSameReportsInTheSameOrder(@ForAll @IntRange(min = 1, max = 10_000) int seed,
                                                          @ForAll @IntRange(min = 20, max = 400) int connections,
                                                          @ForAll @IntRange(min = 0, max = 2) int config)
            throws IOException {
        double rate = 50 + (seed % 7) * 400; // up to 2,450 new connections a second: many open at once
        assertSameForEveryShardCount(generated(connections, seed, rate), CONFIGS.get(config));
    }

    /**
     * Adversarial traffic: a few 4-tuples reused over and over, any flags, sequence numbers near and far,
     * timestamps that tie, jump and go back, timers of 5 and 50 ms: many connections finish in one clock
     * step, with equal deadlines (ties broken by id), by a new SYN, or at the end.
     */
    @Property(tries = 40)
    void adversarialTrafficGivesTheSameReportsInTheSameOrder(@ForAll long seed) throws IOException {
        assertSameForEveryShardCount(adversarial(seed, 600), CONFIGS.get(1));
    }

    @Test
    void aTruncatedCaptureEndsWithTheSameErrorAndReports() throws IOException {
        byte[] pcap = generated(500, 11, CaptureGenerator.DEFAULT_RATE);
        for (int cut : new int[] {pcap.length / 3, pcap.length - 5}) {
            assertSameForEveryShardCount(Arrays.copyOf(pcap, cut), AnalyzerConfig.defaults());
        }
    }

    @Test
    void anEmptyCaptureEndsCleanly() throws IOException {
        byte[] header = Arrays.copyOf(generated(1, 11, CaptureGenerator.DEFAULT_RATE), 24);
        assertSameForEveryShardCount(header, AnalyzerConfig.defaults());
    }

    @Test
    void aFailingListenerStopsTheShardsAndTheMerger() throws IOException, InterruptedException {
        byte[] pcap = generated(2_000, 11, CaptureGenerator.DEFAULT_RATE);
        IllegalStateException boom = new IllegalStateException("output went away");
        Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false)
                .withTimeWait(Duration.ofMillis(100)), AnalysisListener.onConnections(r -> {
                    throw boom;
                }));
        RuntimeException thrown = null;
        try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(pcap), "test")) {
            analyzer.readAll(source, 2, 3, ReadProgress.NONE);
            analyzer.finish(); // the merger may fail after the last segment was handed over
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertSame(boom, thrown);
        long deadline = System.nanoTime() + 60_000_000_000L; // they end at once; a loaded machine may be slow to run them
        while (finwaitThreadsAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(finwaitThreadsAlive(), "a shard, merge or decode thread still runs");
    }

    @Test
    void eventListenersKeepTheSingleThreadedAnalysis() throws IOException {
        byte[] pcap = generated(200, 11, CaptureGenerator.DEFAULT_RATE);
        List<List<Long>> runs = new ArrayList<>();
        for (int shards : new int[] {0, 4}) {
            List<Long> ids = new ArrayList<>();
            List<Long> events = new ArrayList<>();
            AnalysisListener l = new AnalysisListener() {
                @Override
                public void onConnection(ConnectionReport report) {
                    ids.add(report.id());
                }

                @Override
                public void onEvent(dev.finwait.event.ConnectionEvent event) {
                    events.add(event.connectionId());
                }
            };
            Analyzer analyzer = Analyzer.builder(AnalyzerConfig.defaults()).eventListener(l).build();
            try (FrameSource source = CaptureReaders.open(new ByteArrayInputStream(pcap), "test")) {
                analyzer.readAll(source, 2, shards, ReadProgress.NONE);
            }
            analyzer.finish();
            assertEquals(200, ids.size());
            assertTrue(events.size() > 200);
            ids.addAll(events);
            runs.add(ids);
        }
        assertEquals(runs.get(0), runs.get(1));
    }

    private static boolean finwaitThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("finwait-shard")
                || t.getName().equals("finwait-merge") || t.getName().equals("finwait-decode"));
    }

    /** A classic pcap (microseconds, Ethernet) of {@code packets} random IPv4 TCP segments on 32 4-tuples. */
    private static byte[] adversarial(long seed, int packets) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + packets * (16 + 54 + 20))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        int[] flags = {0x02, 0x12, 0x10, 0x11, 0x04, 0x14, 0x18, 0x19, 0x10, 0x18};
        long[] steps = {0, 0, 1, 1_000, 3_000, 5_000, 10_000, 50_000, 60_000, -2_000};
        int[] base = new int[32];
        long micros = 1_700_000_000L * 1_000_000;
        for (int i = 0; i < packets; i++) {
            micros += steps[random.nextInt(steps.length)];
            int tuple = random.nextInt(32);
            boolean fromClient = random.nextBoolean();
            int flag = flags[random.nextInt(flags.length)];
            int payload = (flag & 0x08) != 0 ? 20 : 0;
            if (random.nextInt(8) == 0) {
                base[tuple] += random.nextInt(); // far away: a new ISN, an out-of-window segment
            }
            int seq = base[tuple] + (fromClient ? 0 : 0x4000_0000) + random.nextInt(64);
            int ack = base[tuple] + (fromClient ? 0x4000_0000 : 0) + random.nextInt(64);
            int client = 0x0A00_0001 + (tuple & 3);
            int clientPort = 1000 + ((tuple >> 2) & 3);
            int serverPort = 80 + (tuple >> 4);
            int len = 54 + payload;
            b.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(len).putInt(len);
            java.nio.ByteBuffer f = b.slice().order(java.nio.ByteOrder.BIG_ENDIAN);
            f.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload)).putShort((short) i)
                    .putShort((short) 0).put((byte) 64).put((byte) 6).putShort((short) 0)
                    .putInt(fromClient ? client : 0xC000_0201).putInt(fromClient ? 0xC000_0201 : client);
            f.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort : clientPort))
                    .putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flag).putShort((short) 1000)
                    .putShort((short) 0).putShort((short) 0).put(new byte[payload]);
            b.position(b.position() + len);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] generated(int connections, long seed, double rate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureGenerator.write(out, Long.MAX_VALUE, connections, seed, rate, CaptureGenerator.ETHERNET_MSS);
        return out.toByteArray();
    }
}
