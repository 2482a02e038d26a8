package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --shards N}: the report of one thread, byte for byte, for every N, goldens included. */
class ShardsCliTest {
    private static final Path SAMPLES = Fixtures.samples();
    private static final String[] SHARDS = {"1", "2", "3", "4", "7"};

    @TempDir
    Path dir;

    private static void assertSameWithEveryShardCount(String format, String... args) {
        Cli.Result one = Cli.run(concat(args, "-q", "--width", "100", "--format", format, "--threads", "1"));
        for (String n : SHARDS) {
            Cli.Result sharded = Cli.run(concat(args, "-q", "--width", "100", "--format", format, "--shards", n));
            assertEquals(one.code(), sharded.code(), format + " --shards " + n);
            assertEquals(one.out(), sharded.out(), format + " --shards " + n);
            assertEquals(one.err(), sharded.err(), format + " --shards " + n);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static Stream<Path> captures() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(SAMPLES)) {
            s.filter(p -> p.toString().endsWith(".pcap")).forEach(all::add);
        }
        try (Stream<Path> s = Files.list(SAMPLES.resolve("third-party").resolve("captures"))) {
            s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).forEach(all::add);
        }
        all.sort(null);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everySampleCaptureGivesTheSameJsonl(Path capture) {
        assertSameWithEveryShardCount("jsonl", capture.toString());
    }

    /** The expected files beside the sample captures, written by one thread, are what every shard count writes. */
    @Test
    void goldenFilesAreReproduced() throws IOException {
        int checked = 0;
        try (Stream<Path> s = Files.list(SAMPLES)) {
            for (Path expected : s.filter(p -> p.toString().endsWith(".expected.jsonl")).sorted().toList()) {
                String name = expected.getFileName().toString();
                Path pcap = SAMPLES.resolve(name.substring(0, name.length() - ".expected.jsonl".length()) + ".pcap");
                Cli.Result one = Cli.run("-q", "--format", "jsonl", "--threads", "1", pcap.toString());
                for (String n : SHARDS) {
                    Cli.Result r = Cli.run("-q", "--format", "jsonl", "--shards", n, pcap.toString());
                    assertEquals(one.out(), r.out(), name + " --shards " + n);
                }
                checked++;
            }
        }
        assertTrue(checked >= 10, checked + " golden files");
        for (String story : new String[] {"write-after-close", "half-close", "reuse-time-wait", "simultaneous-close"}) {
            for (String format : new String[] {"text", "jsonl", "csv", "zeek"}) {
                Path golden = Path.of("src/test/resources/golden/samples").resolve(story + "." + format);
                String expected = Files.readString(golden, StandardCharsets.UTF_8);
                for (String n : SHARDS) {
                    Cli.Result r = Cli.run("-q", "--width", "100", "--format", format, "--shards", n,
                            SAMPLES.resolve(story + ".pcap").toString());
                    assertEquals(expected, r.out(), story + "." + format + " --shards " + n);
                }
            }
        }
    }

    @Test
    void everyFormatOfABusyCaptureAndTwoMergedFiles() {
        for (String format : new String[] {"text", "ladder", "jsonl", "csv", "zeek"}) {
            assertSameWithEveryShardCount(format, SAMPLES.resolve("busy.pcap").toString());
            assertSameWithEveryShardCount(format, SAMPLES.resolve("close-normal.pcap").toString(),
                    SAMPLES.resolve("linger-zero.pcap").toString());
        }
    }

    @Test
    void aTruncatedFileGivesTheSamePartialReportAndExitCode() throws IOException {
        byte[] busy = Files.readAllBytes(SAMPLES.resolve("busy.pcap"));
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(busy, busy.length * 2 / 3));
        assertSameWithEveryShardCount("jsonl", cut.toString());
    }

    @Test
    void threadsBesideShardsIsAUsageErrorNotIgnored() {
        // --shards sets its own threads: a --threads 1 beside it used to be dropped without a word.
        for (String t : new String[] {"1", "3"}) {
            Cli.Result r = Cli.run("--threads", t, "--shards", "2", SAMPLES.resolve("busy.pcap").toString());
            assertEquals(2, r.code(), r::toString);
            assertEquals("analyze: --threads and --shards do not go together: --shards N reads and merges on threads"
                    + " of its own; give one of them", r.err().strip());
            assertEquals("", r.out());
        }
    }

    @Test
    void shardCountOutOfRangeIsAUsageError() {
        for (String n : new String[] {"0", "65", "-1"}) {
            Cli.Result r = Cli.run("--shards", n, SAMPLES.resolve("busy.pcap").toString());
            assertEquals(2, r.code(), r::toString);
            assertEquals("analyze: --shards must be between 1 and 64, not " + n, r.err().strip());
        }
    }
}
