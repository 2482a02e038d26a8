package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * STREAMING with a checkpoint every 100 ms and a failure injected once, after the first checkpoint
 * completed: the job restarts from that checkpoint (the source from the core reader's resume point,
 * each flow from its snapshot in keyed state, the final stage from its list state) and its output is
 * the CLI's, nothing lost and nothing twice.
 */
class FaultToleranceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Set once a checkpoint completed; the next segment after it fails the job, once. */
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    static final AtomicInteger PASSED = new AtomicInteger();

    @TempDir
    Path tmp;

    /**
     * Passes segments on, slowly until the failure, so that a checkpoint completes while the files are
     * read: 1 ms a segment for the first 700 (a checkpoint every 100 ms usually completes within them),
     * then 20 ms a segment, so that a loaded machine has about 90 s for the first checkpoint before the
     * 5,080 packets run out. Full speed after the failure. (The map is chained to the source, whose
     * thread takes the checkpoint between two polls: waiting here without a bound would block it. 700 is
     * in the middle of the second 500-frame file, away from the end of a file, where a checkpoint taken
     * between the enumerator's snapshot and the reader's could lose the reader's FileFinished.)
     */
    static final class FailOnce implements MapFunction<Item, Item>, CheckpointListener {
        @Override
        public Item map(Item item) throws Exception {
            if (!FAILED.get()) {
                if (CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after a completed checkpoint");
                }
                Thread.sleep(PASSED.incrementAndGet() <= 700 ? 1 : 20);
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
    void aFailureAfterACheckpointChangesNothing() throws Exception {
        Path capture = Captures.samples().resolve("services.pcap");
        List<Path> files = Captures.cut(capture, 500, tmp.resolve("services"));
        Main.Options o = new Main.Options(Main.Mode.STREAMING, 2, List.of(files));
        Configuration c = Main.configuration(o);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = Job.build(env, o.points(), Main.CONFIG,
                s -> s.map(new FailOnce(), Codecs.ITEM).setParallelism(s.getParallelism()).name("fail once").uid("fail-once")).executeAndCollect("ft")) {
            it.forEachRemaining(lines::add);
        }
        assertTrue(FAILED.get(), "the failure was injected (after " + CHECKPOINTS.get() + " checkpoints)");
        ParityTest.assertParity(capture, lines, "services in " + files.size() + " files, restarted from a checkpoint");
        assertEquals(ParityTest.byId(Captures.cliJsonl(capture)).size(), lines.size(), "as many lines as the CLI's");
    }
}
