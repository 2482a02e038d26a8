package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's answers are the CLI's: on rotated sets (captures cut into small files, so that
 * connections cross files), at parallelism 1, 2 and 4, in BATCH and STREAMING, the connection lines
 * (compared by id) and the summary equal the CLI's JSONL of the uncut capture.
 */
@Timeout(600) // each test: a job that never ends fails instead of stalling the build
class ParityTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final Pattern ID = Pattern.compile("^\\{\"type\":\"connection\",\"id\":(\\d+),");

    @TempDir
    Path tmp;

    static List<String> run(Main.Mode mode, int parallelism, List<Path> files) throws Exception {
        Main.Options o = new Main.Options(mode, parallelism, List.of(files));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(o));
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = Job.build(env, o.points(), Main.CONFIG).executeAndCollect("parity")) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }

    /** Connection lines by id, and the summary under the key -1. */
    static Map<Long, String> byId(List<String> lines) {
        Map<Long, String> m = new TreeMap<>();
        for (String l : lines) {
            Matcher id = ID.matcher(l);
            if (id.find()) {
                assertEquals(null, m.put(Long.parseLong(id.group(1)), l), "two connections with one id");
            } else if (l.startsWith("{\"type\":\"summary\"")) {
                m.put(-1L, l);
            }
        }
        return m;
    }

    static void assertParity(Path capture, List<String> flink, String what) throws Exception {
        Map<Long, String> want = byId(Captures.cliJsonl(capture));
        Map<Long, String> got = byId(flink);
        assertEquals(want.keySet(), got.keySet(), what + ": connection ids");
        for (Long id : want.keySet()) {
            assertEquals(want.get(id), got.get(id), what + ": connection " + id);
        }
    }

    @Test
    void rotatedSetsAtEveryParallelismInBothModes() throws Exception {
        // busy: 60 connections over 9 files of 40 frames; reuse-time-wait: a 4-tuple reused from TIME_WAIT
        for (Map.Entry<String, Integer> set : Map.of("busy.pcap", 40, "reuse-time-wait.pcap", 4).entrySet()) {
            String name = set.getKey();
            Path capture = Captures.samples().resolve(name);
            List<Path> files = Captures.cut(capture, set.getValue(), tmp.resolve(name));
            assertTrue(files.size() >= 3, name + " cut into " + files.size() + " files");
            for (Main.Mode mode : Main.Mode.values()) {
                for (int p : new int[] {1, 2, 4}) {
                    assertParity(capture, run(mode, p, files), name + " in " + files.size() + " files, " + mode + ", p" + p);
                }
            }
        }
    }

    @Test
    void everySampleCaptureCutIntoThreeFrameFiles() throws Exception {
        int i = 0;
        for (Path capture : Captures.sampleCaptures()) {
            List<Path> files = Captures.cut(capture, 3, tmp.resolve(capture.getFileName().toString()));
            Main.Mode mode = Main.Mode.values()[i % 2];
            int p = 1 << (i % 3);
            assertParity(capture, run(mode, p, files), capture.getFileName() + " in 3-frame files, " + mode + ", p" + p);
            i++;
        }
    }

    /**
     * Both modes on each: some corpus captures have packets of one connection with equal or backward
     * timestamps (zk-ssh-dups, zk-raw-http-te-cl), which BATCH's sort by time used to reorder.
     */
    @Test
    void everyCorpusCaptureCutIntoThreeFrameFiles() throws Exception {
        int i = 0;
        for (Path capture : Captures.corpusCaptures()) {
            List<Path> files = Captures.cut(capture, 3, tmp.resolve(capture.getFileName().toString()));
            for (Main.Mode mode : Main.Mode.values()) {
                int p = 1 << (i % 3);
                assertParity(capture, run(mode, p, files), capture.getFileName() + " in 3-frame files, " + mode + ", p" + p);
                i++;
            }
        }
    }
}
