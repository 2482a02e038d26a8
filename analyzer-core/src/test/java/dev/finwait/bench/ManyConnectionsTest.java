package dev.finwait.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.bench.CaptureGenerator.Counts;
import dev.finwait.bench.CaptureGenerator.Ending;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run: a million connections (about twelve million packets) through the real analyzer in a
 * child JVM with a 256 MB heap, streaming (connections not retained). Memory must stay bounded by the
 * connections alive at once, and every connection must be classified as the generator wrote it.
 * Tagged {@code slow} (20 to 30 s on two cores); it runs in {@code mvn verify} unless excluded
 * with {@code -DexcludedGroups=slow}.
 */
@Tag("slow")
class ManyConnectionsTest {
    private static final long CONNECTIONS = 1_000_000;
    /** Small segments keep the capture near 2 GB instead of 5; packet and connection counts are unchanged. */
    private static final int MSS = 200;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aMillionConnectionsInA256MegabyteHeapAreAllClassified() throws IOException, InterruptedException {
        // The capture is piped into the child's standard input: nearly 2 GB never touches the disk.
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CloseKindCount.class.getName(), "-")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Counts written;
        try (OutputStream stdin = new BufferedOutputStream(child.getOutputStream(), 1 << 20)) {
            written = CaptureGenerator.write(stdin, Long.MAX_VALUE, CONNECTIONS, 42, CaptureGenerator.DEFAULT_RATE, MSS);
        } catch (IOException e) {
            child.destroyForcibly().waitFor();
            throw new AssertionError("child stopped reading (" + e.getMessage() + "); stderr: " + Files.readString(err), e);
        }
        assertEquals(CONNECTIONS, written.connections());
        boolean done = child.waitFor(10, TimeUnit.MINUTES); // 20 to 30 s alone on two cores; room for a loaded machine
        if (!done) {
            child.destroyForcibly().waitFor();
        }
        String stderr = Files.readString(err);
        assertTrue(done, "child still running after 10 minutes; stderr: " + stderr);
        assertEquals(0, child.exitValue(), "child failed: " + stderr);

        List<String> lines = Files.readAllLines(out);
        System.out.println("ManyConnectionsTest: wrote " + written + "; child: " + String.join(", ", lines));
        Map<String, Long> got = parse(lines);
        assertEquals(written.packets(), got.get("frames"));
        assertEquals(CONNECTIONS, got.get("connections"));
        assertEquals(CONNECTIONS, got.get("finished"));
        assertEquals(0, got.get("retained"));
        Map<Ending, Long> w = written.perEnding();
        // A half-close with data after the FIN still ends with a FIN, ACK, FIN, ACK: a four-way close.
        assertEquals(w.get(Ending.FOUR_WAY) + w.get(Ending.HALF_CLOSE_DATA), got.get("close.four_way"));
        assertEquals(w.get(Ending.HALF_CLOSE_DATA), got.get("data_after_fin"));
        assertEquals(w.get(Ending.THREE_WAY), got.get("close.three_way"));
        assertEquals(w.get(Ending.SIMULTANEOUS), got.get("close.simultaneous"));
        assertEquals(w.get(Ending.RESET), got.get("close.reset"));
        assertEquals(w.get(Ending.REFUSED), got.get("close.refused"));
        assertEquals(w.get(Ending.SYN_UNANSWERED), got.get("close.never_opened"));
        for (String none : List.of("close.half_closed", "close.fins_unacked", "close.fin_then_reset", "close.open")) {
            assertEquals(0, got.get(none), none);
        }
    }

    private static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> m = new HashMap<>();
        for (String line : lines) {
            String[] kv = line.split(" ");
            if (kv.length == 2 && kv[1].matches("\\d+")) {
                m.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return m;
    }
}
