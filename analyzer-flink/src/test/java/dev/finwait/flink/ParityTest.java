package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
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

    private static final Pattern ID = Pattern.compile("^\\{\"type\":\"connection\",\"(?:id|uid)\":\"?(\\w+)\"?,");

    @TempDir
    Path tmp;

    /**
     * The job's lines as the command writes them: the tasks write them themselves ({@link LocalLines},
     * as in the embedded cluster of analyze-flink), every other run here collects them through Flink's
     * collect sink ({@link #collected}, as with --cluster).
     */
    static List<String> run(Main.Mode mode, int parallelism, List<Path> files) throws Exception {
        Main.Options o = new Main.Options(mode, parallelism, List.of(files));
        assertTrue(Main.sameProcess(StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(o))),
                "the test's MiniCluster runs in this JVM");
        StringWriter out = new StringWriter();
        Main.run(o, out);
        return out.toString().lines().toList();
    }

    /** The job's lines through Flink's collect sink. */
    static List<String> collected(Main.Mode mode, int parallelism, List<Path> files) throws Exception {
        Main.Options o = new Main.Options(mode, parallelism, List.of(files));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(o));
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = Job.build(env, o.points(), Main.CONFIG, mode).executeAndCollect("parity")) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }

    /** Connection lines by id (BATCH) or uid (STREAMING), and the summary under the key "summary". */
    static Map<String, String> byId(List<String> lines) {
        Map<String, String> m = new TreeMap<>();
        for (String l : lines) {
            Matcher id = ID.matcher(l);
            if (id.find()) {
                assertEquals(null, m.put(id.group(1), l), "two connections with one id");
            } else if (l.startsWith("{\"type\":\"summary\"")) {
                m.put("summary", l);
            }
        }
        return m;
    }

    /** The lines that are neither connections nor the summary (service, host, series), in their order. */
    static List<String> diagnosis(List<String> lines) {
        return lines.stream().filter(l -> !ID.matcher(l).find() && !l.startsWith("{\"type\":\"summary\"")).toList();
    }

    /**
     * The job's lines are the CLI's: every connection once (BATCH by id; STREAMING by uid, its line the
     * CLI's with the uid), the service, host and series lines in the CLI's order, the summary.
     */
    static void assertParity(Path capture, List<String> flink, String what, Main.Mode mode) throws Exception {
        assertParity(capture, flink, what, mode, true);
    }

    /** As above; {@code ordered} false for part files, whose lines come in no particular order. */
    static void assertParity(Path capture, List<String> flink, String what, Main.Mode mode, boolean ordered)
            throws Exception {
        List<String> cli = mode == Main.Mode.BATCH ? Captures.cliJsonl(capture) : Captures.streamingJsonl(capture);
        Map<String, String> wantById = byId(cli);
        Map<String, String> gotById = byId(flink);
        assertEquals(wantById.keySet(), gotById.keySet(), what + ": connection ids");
        for (String id : wantById.keySet()) {
            assertEquals(wantById.get(id), gotById.get(id), what + ": connection " + id);
        }
        List<String> want = diagnosis(cli);
        List<String> got = diagnosis(flink);
        if (!ordered) {
            want = want.stream().sorted().toList();
            got = got.stream().sorted().toList();
        }
        assertEquals(want, got, what + ": service, host and series lines");
        assertEquals(cli.size(), flink.size(), what + ": as many lines as the CLI's");
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
                    assertParity(capture, run(mode, p, files), name + " in " + files.size() + " files, " + mode + ", p" + p, mode);
                }
                assertParity(capture, collected(mode, 2, files), name + ", collected, " + mode + ", p2", mode);
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
            assertParity(capture, run(mode, p, files), capture.getFileName() + " in 3-frame files, " + mode + ", p" + p, mode);
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
                assertParity(capture, run(mode, p, files), capture.getFileName() + " in 3-frame files, " + mode + ", p" + p, mode);
                i++;
            }
        }
    }
}
