package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two capture points that saw the same packets (the same rotated set given twice): every 4-tuple is
 * two flows, one per point, each analysed as on its own; connections are numbered by first time, then
 * point, so connection k of the CLI becomes 2k-1 (point 0) and 2k (point 1); the summary counts both.
 */
@Timeout(600) // each test: a job that never ends fails instead of stalling the build
class CapturePointsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path tmp;

    @Test
    void theSameSetFromTwoPointsIsTwiceTheConnections() throws Exception {
        Path capture = Captures.samples().resolve("busy.pcap");
        List<Path> files = Captures.cut(capture, 40, tmp.resolve("busy"));
        for (Main.Mode mode : Main.Mode.values()) {
            Main.Options o = new Main.Options(mode, 2, List.of(files, files));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Main.configuration(o));
            List<String> lines;
            try (CloseableIterator<String> it = Job.build(env, o.points(), Main.CONFIG).executeAndCollect("points")) {
                lines = new java.util.ArrayList<>();
                it.forEachRemaining(lines::add);
            }
            Map<Long, String> want = ParityTest.byId(Captures.cliJsonl(capture));
            Map<Long, String> got = ParityTest.byId(lines);
            assertEquals(2 * (want.size() - 1) + 1, got.size(), mode + ": twice the connections and a summary");
            for (Map.Entry<Long, String> e : want.entrySet()) {
                long k = e.getKey();
                if (k < 0) {
                    continue;
                }
                String tail = e.getValue().substring(e.getValue().indexOf(",\"client\""));
                assertEquals("{\"type\":\"connection\",\"id\":" + (2 * k - 1) + tail, got.get(2 * k - 1), mode + " point 0, " + k);
                assertEquals("{\"type\":\"connection\",\"id\":" + (2 * k) + tail, got.get(2 * k), mode + " point 1, " + k);
            }
            assertEquals(doubled(want.get(-1L)), got.get(-1L), mode + ": summary");
        }
    }

    /** The summary with frames, segments and connections counted twice (busy has no decode problems). */
    private static String doubled(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(frames|tcp_segments|connections|malformed|non_tcp)\":(\\d+)")
                .matcher(summary);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, "\"" + m.group(1) + "\":" + 2 * Long.parseLong(m.group(2)));
        }
        m.appendTail(b);
        return b.toString();
    }
}
