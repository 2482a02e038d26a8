package dev.finwait.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole-pipeline fuzzing: mutants of real captures (the sample captures and a few corpus files) go
 * through CaptureReaders, the Analyzer and all five report writers. Only a CaptureFormatException that
 * names an offset may come out; nothing else, and no input may take longer than 5 seconds.
 * A longer campaign: {@link FuzzCampaign}.
 */
class PipelineFuzzTest {
    static final long SEED = 20261126L;
    static final int INPUTS = 3_000;
    static final int LARGE_PACKETS = 3_000;
    static final int LARGE_INPUTS = 20;
    private static final Duration PER_INPUT = Duration.ofSeconds(5);
    private static final List<String> CORPUS = List.of("zk-vlan-mpls-mixed.pcap", "zk-missing-syn-http-irc-port.pcapng",
            "zk-retransmit-timeout.pcapng", "td-tcp-handshake-nano.pcap", "zk-sll2-tls.pcap", "zk-payload-syn-rawip.pcap",
            "sv-ipv6-vlan-close-wait.pcap", "zk-nflog-http.pcap", "td-tfo.pcap", "zk-http-get.pcap");

    @Test
    @Timeout(120)
    void mutatedCapturesEndInAReportOrAFormatError() throws IOException {
        List<byte[]> seeds = Pipeline.seeds(CORPUS);
        Mutator mutator = new Mutator(new Random(SEED), seeds);
        int formatErrors = 0;
        long connections = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = mutator.next();
            int n = i;
            Pipeline.Outcome o = assertTimeoutPreemptively(PER_INPUT, () -> Pipeline.run(input),
                    () -> "input " + n + " (seed " + SEED + ") took over " + PER_INPUT + ": " + hexHead(input));
            formatErrors += o.formatError() == null ? 0 : 1;
            connections += o.connections();
        }
        // the mutants must reach the analyzer and the writers, not stop at the file header
        assertTrue(connections > INPUTS, "connections reported: " + connections);
        assertTrue(formatErrors > INPUTS / 20 && formatErrors < INPUTS * 9 / 10, "format errors: " + formatErrors);
    }

    /**
     * Mutants of megabyte captures (pcap, editcap-style pcapng, two sections of both byte orders, gzip):
     * records cross the readers' buffer many times (issue 17). Few inputs, each large.
     */
    @Test
    @Timeout(120)
    void largeMutantsEndInAReportOrAFormatError() throws IOException {
        List<byte[]> seeds = Pipeline.largeSeeds(LARGE_PACKETS);
        for (byte[] seed : seeds) {
            Pipeline.Outcome o = Pipeline.run(seed);
            assertTrue(o.formatError() == null && o.frames() >= LARGE_PACKETS, String.valueOf(o));
        }
        Mutator mutator = new Mutator(new Random(SEED + 2), seeds, Mutator.MAX_SIZE_LARGE);
        long frames = 0;
        for (int i = 0; i < LARGE_INPUTS; i++) {
            byte[] input = mutator.next();
            int n = i;
            Pipeline.Outcome o = assertTimeoutPreemptively(PER_INPUT, () -> Pipeline.run(input),
                    () -> "large input " + n + " (seed " + (SEED + 2) + ") took over " + PER_INPUT + ": " + hexHead(input));
            frames += o.frames();
        }
        assertTrue(frames > LARGE_INPUTS * 100L, "frames read: " + frames);
    }

    /** On mutants too, reading on a second thread and reporting on a third change nothing in the result. */
    @Test
    @Timeout(120)
    void mutantsGiveTheSameResultOnThreeThreads() throws IOException {
        Mutator mutator = new Mutator(new Random(SEED + 1), Pipeline.seeds(CORPUS));
        for (int i = 0; i < INPUTS / 4; i++) {
            byte[] input = mutator.next();
            int n = i;
            assertTimeoutPreemptively(PER_INPUT, () -> {
                Pipeline.Analysis one = Pipeline.analyze(input, 1);
                Pipeline.Analysis three = Pipeline.analyze(input, 3);
                org.junit.jupiter.api.Assertions.assertEquals(one, three, "input " + n + ": " + hexHead(input));
            });
        }
    }

    /** The seeds themselves go through cleanly. */
    @Test
    void seedsAreReadWithoutAFormatError() throws IOException {
        for (byte[] seed : Pipeline.seeds(CORPUS)) {
            assertFalse(Mutator.records(seed).isEmpty());
            Pipeline.Outcome o = Pipeline.run(seed);
            assertTrue(o.formatError() == null && o.frames() > 0, String.valueOf(o));
        }
    }

    /** Every input a fuzzing run ever broke the pipeline with stays fixed (see fuzz-regressions/README.md). */
    @Test
    void regressionInputs() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz-regressions");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        for (Path p : files) {
            byte[] input = Files.readAllBytes(p);
            assertTimeoutPreemptively(PER_INPUT, () -> Pipeline.run(input), p::toString);
        }
    }

    static String hexHead(byte[] b) {
        return b.length + " bytes, starting " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 64));
    }
}
