package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint in the middle of the files at parallelism 2, resume from it at parallelism 4
 * (the flows' keyed state spread over twice the tasks), both runs writing part files into one
 * directory: the lines committed before the stop and those after it are the CLI's answers, each once.
 */
class RescaleTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** services.pcap's packets and file ends: the first visit of {@link Captures#twoVisits}. */
    static final long FIRST_VISIT = 5_080;
    static final AtomicLong SEEN = new AtomicLong();
    /** Where the test asks for the savepoint: in the second visit, in the middle of a 500-frame file. */
    static final long STOP_AT = FIRST_VISIT + 1_750;

    @TempDir
    Path tmp;

    /**
     * Slow in the first run's second visit only, so that the stop comes while its files are still being
     * read: 1 ms a segment up to {@link #STOP_AT}, then 20 ms, so that the rest (over 3,000) lasts over
     * a minute however slowly a loaded machine polls SEEN and takes the savepoint. (Waiting here without
     * a bound would block the source's thread, which takes the savepoint between two polls.)
     */
    static final class Slow implements MapFunction<Item, Item> {
        @Override
        public Item map(Item item) throws Exception {
            long n = SEEN.incrementAndGet();
            if (n > FIRST_VISIT) {
                Thread.sleep(n < STOP_AT ? 1 : 20);
            }
            return item;
        }
    }

    @Test
    @Timeout(600) // a job that never ends fails here instead of stalling the build
    void aSavepointAtParallelismTwoResumedAtFour() throws Exception {
        Path capture = Captures.twoVisits(tmp.resolve("capture"));
        List<Path> files = Captures.cut(capture, 500, tmp.resolve("cut"));
        Path out = Files.createDirectories(tmp.resolve("out"));

        Main.Options first = new Main.Options(Main.Mode.STREAMING, 2, List.of(files), null, out);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(first));
        Job.build(env, first.points(), Main.CONFIG, first.mode(),
                        s -> s.map(new Slow(), Codecs.ITEM).setParallelism(s.getParallelism()).name("tap").uid("tap"))
                .sinkTo(OutputFiles.sink(out)).name("part files").uid("part-files");
        JobClient job = env.executeAsync("first half");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (SEEN.get() < STOP_AT && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        long at = SEEN.get();
        assertTrue(at >= STOP_AT && at < 2 * FIRST_VISIT, "stopped in the second visit: " + at + " segments");
        String savepoint = job.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        int before = OutputFiles.lines(out).size();
        assertTrue(before > 0, "connections that finished in the first visit were committed before the stop");

        Main.Options second = new Main.Options(Main.Mode.STREAMING, 4, List.of(files), null, out);
        Configuration c = Main.configuration(second);
        c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment(c);
        Job.build(env2, second.points(), Main.CONFIG, second.mode(),
                        s -> s.map(x -> x, Codecs.ITEM).setParallelism(s.getParallelism()).name("tap").uid("tap"))
                .sinkTo(OutputFiles.sink(out)).name("part files").uid("part-files");
        env2.execute("second half");
        ParityTest.assertParity(capture, OutputFiles.lines(out), "two visits in " + files.size()
                + " files, savepoint at p2 (" + before + " lines committed), resumed at p4", Main.Mode.STREAMING, false);
    }
}
