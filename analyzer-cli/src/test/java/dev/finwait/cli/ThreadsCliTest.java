package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --threads 1, 2, 3}: the same report and exit code, byte for byte, in every format. */
class ThreadsCliTest {
    private static final Path SAMPLES = Fixtures.samples();

    @TempDir
    Path dir;

    private static void assertSameWithEveryThreadCount(String... args) {
        for (String format : new String[] {"text", "ladder", "jsonl", "csv", "zeek"}) {
            Cli.Result one = Cli.run(concat(args, "-q", "--format", format, "--threads", "1"));
            for (String n : new String[] {"2", "3"}) {
                Cli.Result more = Cli.run(concat(args, "-q", "--format", format, "--threads", n));
                assertEquals(one.code(), more.code(), format + " --threads " + n);
                assertEquals(one.out(), more.out(), format + " --threads " + n);
                assertEquals(one.err(), more.err(), format + " --threads " + n);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void sampleCapturesGiveTheSameReport() {
        for (String story : new String[] {"busy", "write-after-close", "reuse-time-wait", "half-close"}) {
            assertSameWithEveryThreadCount(SAMPLES.resolve(story + ".pcap").toString());
        }
    }

    @Test
    void twoFilesMergedGiveTheSameReport() {
        assertSameWithEveryThreadCount(SAMPLES.resolve("close-normal.pcap").toString(),
                SAMPLES.resolve("linger-zero.pcap").toString());
    }

    @Test
    void aTruncatedFileGivesTheSamePartialReportAndExitCode() throws IOException {
        byte[] busy = Files.readAllBytes(SAMPLES.resolve("busy.pcap"));
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(busy, busy.length * 2 / 3));
        Cli.Result r = Cli.run("-q", "--threads", "3", cut.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("analyze: " + cut + ": "), r::toString);
        assertSameWithEveryThreadCount(cut.toString());
    }

    @Test
    void threadCountOutOfRangeIsAUsageError() {
        for (String n : new String[] {"0", "4", "-1"}) {
            Cli.Result r = Cli.run("--threads", n, SAMPLES.resolve("busy.pcap").toString());
            assertEquals(2, r.code(), r::toString);
            assertEquals("analyze: --threads must be 1, 2 or 3, not " + n, r.err().strip());
        }
    }
}
