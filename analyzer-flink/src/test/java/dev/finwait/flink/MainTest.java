package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line: one line with the cause and the choices for every mistake, analyze's exit codes. */
@Timeout(600) // each test: a job that never ends fails instead of stalling the build
class MainTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Result r, int code, String text) {
        assertEquals(code, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertEquals("analyze-flink: " + text, first);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    /**
     * BATCH registers no timers and finishes every key at the last watermark (AnalysisOperator); with
     * Flink's BATCH defaults (sorted inputs, the batch state backend) only the last key of each task
     * would be finished then, and packets with equal timestamps would lose their capture order.
     */
    @Test
    void everyModeKeepsInputsUnsortedAndTheKeyedStateBackend() throws Exception {
        String sample = Captures.samples().resolve("busy.pcap").toString();
        for (String mode : List.of("batch", "streaming")) {
            Configuration c = Main.configuration(Main.parse(new String[] {"--mode", mode, sample}));
            assertFalse(c.get(ExecutionOptions.SORT_INPUTS), mode);
            assertFalse(c.get(ExecutionOptions.USE_BATCH_STATE_BACKEND), mode);
            assertFalse(c.get(PipelineOptions.GENERIC_TYPES), mode + ": no Kryo");
        }
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        String sample = Captures.samples().resolve("busy.pcap").toString();
        assertOneLine(run("--mode", "fast", sample), 2, "--mode: 'fast' is not one of batch, streaming");
        assertOneLine(run("--parallelism", "0", sample), 2, "--parallelism: '0' is not a whole number from 1 to 256");
        assertOneLine(run("--parallelism", "x", sample), 2, "--parallelism: 'x' is not a whole number from 1 to 256");
        assertOneLine(run("--format", "text", sample), 2, "--format: 'text' is not one of jsonl");
        assertOneLine(run("--frobnicate", sample), 2, "unknown option --frobnicate");
        assertOneLine(run(), 2, "no capture given");
        assertOneLine(run("--mode"), 2, "--mode needs a value");
        assertOneLine(run("--cluster", "localhost", sample), 2,
                "--cluster: 'localhost' is not HOST:PORT (the cluster's REST address, e.g. localhost:8081)");
        assertOneLine(run("--output", Captures.samples().toString(), sample), 2,
                "--output: '" + Captures.samples() + "' is not empty (give a new or empty directory)");
    }

    /**
     * As analyze-flink runs: a MiniCluster of its own (BATCH with pipelined exchanges), the tasks writing
     * the lines into the command's output; on a rotated set, the CLI's answers in both modes.
     */
    @Test
    void theEmbeddedClusterGivesTheCliAnswers() throws Exception {
        Path busy = Captures.samples().resolve("busy.pcap");
        Path dir = tmp.resolve("busy");
        List<Path> files = Captures.cut(busy, 40, dir);
        for (Main.Mode mode : Main.Mode.values()) {
            Result r = run("--mode", mode.name().toLowerCase(java.util.Locale.ROOT), "--parallelism", "2", dir.toString());
            assertEquals(0, r.code(), r.err());
            ParityTest.assertParity(busy, r.out().lines().toList(), "busy in " + files.size() + " files, embedded, " + mode, mode);
        }
    }

    /** STREAMING into part files: committed by the checkpoint after the end of the input, the CLI's answers. */
    @Test
    void outputIsCommittedPartFiles() throws Exception {
        Path busy = Captures.samples().resolve("busy.pcap");
        Path dir = tmp.resolve("out");
        Result r = run("--mode", "streaming", "--parallelism", "2", "--output", dir.toString(), busy.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        ParityTest.assertParity(busy, OutputFiles.lines(dir), "busy into part files", Main.Mode.STREAMING, false);
    }

    @Test
    void unreadableInputIsOneLineAndExitThree() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "# not a capture\n");
        Result r = run(text.toString());
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertOneLine(run(tmp.resolve("missing").toString()), 3, tmp.resolve("missing") + ": no such file or directory");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertOneLine(run(empty.toString()), 3, empty + ": an empty directory (no capture files in it)");
    }

    @Test
    void helpIsOnStandardOutput() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertEquals("", r.err());
        assertEquals(true, r.out().startsWith("usage: analyze-flink"));
    }

    @Test
    void rotationOrderComparesNumbersAsNumbers() {
        List<String> names = new java.util.ArrayList<>(List.of("trace10", "trace", "trace9", "trace1", "trace2"));
        names.sort(RotationOrder::compare);
        assertEquals(List.of("trace", "trace1", "trace2", "trace9", "trace10"), names);
        List<String> editcap = new java.util.ArrayList<>(List.of("b_00010_2026.pcap", "b_00002_2026.pcap", "b_00000_2026.pcap"));
        editcap.sort(RotationOrder::compare);
        assertEquals(List.of("b_00000_2026.pcap", "b_00002_2026.pcap", "b_00010_2026.pcap"), editcap);
    }
}
