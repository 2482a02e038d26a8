package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint in the middle of the files at parallelism 2, resume from it at parallelism 4
 * (the flows' keyed state spread over twice the tasks): the output equals the CLI's.
 */
class RescaleTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static final AtomicLong SEEN = new AtomicLong();

    @TempDir
    Path tmp;

    /** Where the test asks for the savepoint: in the middle of the fourth 500-frame file, away from its ends. */
    static final int STOP_AT = 1_750;

    /**
     * Slow in the first run only, so that the stop comes while files are still being read: 1 ms a
     * segment up to the {@link #STOP_AT}th, at which the test asks for the savepoint, then 20 ms a
     * segment, so that the rest (over 3,000) lasts over a minute: however slowly a loaded machine polls
     * SEEN and takes the savepoint, the stop comes in the middle. (Waiting here without a bound would
     * block the source's thread, which takes the savepoint between two polls. The end of a file is
     * avoided: a savepoint taken between the enumerator's snapshot and the reader's could lose the
     * reader's FileFinished there.)
     */
    static final class Slow implements MapFunction<Item, Item> {
        @Override
        public Item map(Item item) throws Exception {
            Thread.sleep(SEEN.incrementAndGet() < STOP_AT ? 1 : 20);
            return item;
        }
    }

    @Test
    @Timeout(600) // a job that never ends fails here instead of stalling the build
    void aSavepointAtParallelismTwoResumedAtFour() throws Exception {
        Path capture = Captures.samples().resolve("services.pcap");
        List<Path> files = Captures.cut(capture, 500, tmp.resolve("services"));

        Main.Options first = new Main.Options(Main.Mode.STREAMING, 2, List.of(files));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(first));
        DataStream<String> out = Job.build(env, first.points(), Main.CONFIG,
                s -> s.map(new Slow(), Codecs.ITEM).setParallelism(s.getParallelism()).name("tap").uid("tap"));
        List<String> before = new ArrayList<>();
        String savepoint;
        try (CloseableIterator<String> it = out.collectAsync()) {
            JobClient job = env.executeAsync("first half");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (SEEN.get() < STOP_AT && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertTrue(SEEN.get() >= STOP_AT && SEEN.get() < 5_000, "stopped in the middle: " + SEEN.get() + " segments");
            savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
            it.forEachRemaining(before::add);
        }
        assertFalse(before.stream().anyMatch(l -> l.contains("\"type\":")), "nothing written before the end: " + before);

        Main.Options second = new Main.Options(Main.Mode.STREAMING, 4, List.of(files));
        Configuration c = Main.configuration(second);
        c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        // the first run's collect sink (it has no uid; it held nothing: see above) is not in the second
        c.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment(c);
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = Job.build(env2, second.points(), Main.CONFIG,
                s -> s.map(x -> x, Codecs.ITEM).setParallelism(s.getParallelism()).name("tap").uid("tap"))
                .executeAndCollect("second half")) {
            it.forEachRemaining(lines::add);
        }
        ParityTest.assertParity(capture, lines, "services in " + files.size() + " files, savepoint at p2, resumed at p4");
        assertEquals(ParityTest.byId(Captures.cliJsonl(capture)).size(), lines.size(), "as many lines as the CLI's");
    }
}
