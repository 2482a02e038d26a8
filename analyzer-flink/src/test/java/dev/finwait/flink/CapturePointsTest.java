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
            try (CloseableIterator<String> it = Job.build(env, o.points(), Main.CONFIG, mode).executeAndCollect("points")) {
                lines = new java.util.ArrayList<>();
                it.forEachRemaining(lines::add);
            }
            Captures.Reference ref = Captures.reference(capture);
            Map<String, String> got = ParityTest.byId(lines);
            assertEquals(2 * ref.reports().size() + 1, got.size(), mode + ": twice the connections and a summary");
            for (dev.finwait.model.ConnectionReport r : ref.reports()) {
                String line = Lines.connection(r);
                String tail = line.substring(line.indexOf(",\"client\""));
                long k = r.id();
                for (int point = 0; point < 2; point++) {
                    String id = mode == Main.Mode.BATCH ? String.valueOf(2 * k - 1 + point)
                            : Uids.of(Analysis.tempId(point, r.firstFrame()));
                    String head = mode == Main.Mode.BATCH ? "{\"type\":\"connection\",\"id\":" + id
                            : "{\"type\":\"connection\",\"uid\":\"" + id + "\"";
                    assertEquals(head + tail, got.get(id), mode + " point " + point + ", " + k);
                }
            }
            Map<String, String> want = ParityTest.byId(Captures.cliJsonl(capture));
            assertEquals(doubled(want.get("summary")), got.get("summary"), mode + ": summary");
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
