package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole output for two corpus captures, compared byte for byte with
 * {@code src/test/resources/golden/<capture>.<format>}. Review a change in the diff; regenerate with
 * {@code mvn verify -pl analyzer-core,analyzer-cli -Dfinwait.updateGolden=true}.
 */
class GoldenOutputTest {

    /** Surefire runs in the module directory, so this is the source tree, not target/. */
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("finwait.updateGolden");

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource({
        "zk-vlan-mpls-mixed, text",
        "zk-vlan-mpls-mixed, jsonl",
        "zk-retransmit-fast-rst, text",
        "zk-retransmit-fast-rst, jsonl",
    })
    void outputMatchesGoldenFile(String capture, String format) throws IOException {
        String actual = normalized(capture, format);
        Path golden = GOLDEN.resolve(capture + "." + format);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            throw new AssertionError(golden.toAbsolutePath() + " missing: run with -Dfinwait.updateGolden=true");
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
                () -> "output differs from " + golden + " (rerun with -Dfinwait.updateGolden=true and review the diff)");
    }

    /** Real kernel traffic from sample-captures/, every format; the golden files are the README's examples. */
    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource({
        "write-after-close, text", "write-after-close, ladder", "write-after-close, jsonl",
        "write-after-close, csv", "write-after-close, zeek",
        "half-close, text", "half-close, ladder", "half-close, jsonl", "half-close, csv", "half-close, zeek",
        "reuse-time-wait, text", "reuse-time-wait, ladder", "reuse-time-wait, jsonl", "reuse-time-wait, csv",
        "reuse-time-wait, zeek",
        "simultaneous-close, text", "simultaneous-close, ladder", "simultaneous-close, jsonl",
        "simultaneous-close, csv", "simultaneous-close, zeek",
    })
    void sampleCaptureOutputMatchesGoldenFile(String story, String format) throws IOException {
        Path samples = Fixtures.samples();
        Cli.Result r = Cli.run("-q", "--width", "100", "--format", format, samples.resolve(story + ".pcap").toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        Path golden = GOLDEN.resolve("samples").resolve(story + "." + format);
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            throw new AssertionError(golden.toAbsolutePath() + " missing: run with -Dfinwait.updateGolden=true");
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), r.out(),
                () -> "output differs from " + golden + " (rerun with -Dfinwait.updateGolden=true and review the diff)");
    }

    /** Nothing in any format may depend on the wall clock, the run or where the corpus lives. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "ladder", "jsonl", "csv", "zeek"})
    void outputIsTheSameOnEveryRun(String format) {
        String first = normalized("zk-vlan-mpls-mixed", format);
        assertEquals(first, normalized("zk-vlan-mpls-mixed", format));
        String root = Corpus.root().toString();
        String raw = Cli.run("-q", "--width", "100", "--format", format,
                Corpus.capture("zk-vlan-mpls-mixed.pcap").toString()).out();
        assertFalse(raw.contains(root), "no absolute path of the input in the output");
    }

    private static String normalized(String capture, String format) {
        Path input = Corpus.capture(capture + ".pcap");
        Cli.Result r = Cli.run("-q", "--width", "100", "--format", format, input.toString());
        assertEquals(0, r.code(), r::toString);
        // The file name is not printed today; if it ever is, keep golden files independent of the checkout.
        return r.out().replace(Corpus.root().toString(), "<corpus>");
    }
}
