package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * STREAMING into part files ({@link OutputFiles}) with a checkpoint every 100 ms, and a failure
 * injected once: after a checkpoint completed and after connection lines went to the sink (they go
 * out as connections finish, so some were written after that checkpoint and are written again after
 * the restart). The job restarts from the checkpoint (the source from the core reader's resume point,
 * each flow from its snapshot in keyed state, the final stage from its list state, the sink from its
 * open part files), and the committed files hold the CLI's answers: nothing lost, nothing twice.
 */
class FaultToleranceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Set once a checkpoint completed; the next segment after it (and after a line) fails the job, once. */
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    static final AtomicInteger LINES = new AtomicInteger();
    static final AtomicInteger PASSED = new AtomicInteger();

    @TempDir
    Path tmp;

    /**
     * Passes segments on, slowly until the failure, so that a checkpoint completes and lines go out while
     * the files are read: 1 ms a segment in the first visit, then 10 ms, so that a loaded machine has
     * about 50 s of the second visit (where the first visit's connections finish) before the input runs
     * out. Full speed after the failure. (The map is chained to the source, whose thread takes the
     * checkpoint between two polls: waiting here without a bound would block it.)
     */
    static final class FailOnce implements MapFunction<Item, Item>, CheckpointListener {
        @Override
        public Item map(Item item) throws Exception {
            if (!FAILED.get()) {
                if (CHECKPOINTED.get() && LINES.get() > 0 && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after a completed checkpoint");
                }
                Thread.sleep(PASSED.incrementAndGet() <= 5_080 ? 1 : 10);
            }
            return item;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
            CHECKPOINTED.set(true);
        }
    }

    @Test
    @Timeout(600) // a job that never ends fails here instead of stalling the build
    void aFailureAfterACheckpointNeitherLosesNorRepeatsALine() throws Exception {
        Path capture = Captures.twoVisits(tmp.resolve("capture"));
        List<Path> files = Captures.cut(capture, 500, tmp.resolve("cut"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Main.Options o = new Main.Options(Main.Mode.STREAMING, 2, List.of(files), null, out);
        Configuration c = Main.configuration(o);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        Job.build(env, o.points(), Main.CONFIG, o.mode(),
                        s -> s.map(new FailOnce(), Codecs.ITEM).setParallelism(s.getParallelism()).name("fail once").uid("fail-once"))
                .map(line -> {
                    LINES.incrementAndGet();
                    return line;
                }, Types.STRING).name("count lines").uid("count-lines")
                .sinkTo(OutputFiles.sink(out)).name("part files").uid("part-files");
        env.execute("ft");
        assertTrue(FAILED.get(), "the failure was injected (after " + CHECKPOINTS.get() + " checkpoints)");
        ParityTest.assertParity(capture, OutputFiles.lines(out), "two visits in " + files.size()
                + " files, restarted from a checkpoint, committed part files", Main.Mode.STREAMING, false);
    }
}
