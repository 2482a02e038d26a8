package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The diagnosis from the command line: findings, tables, the options that tune it, and their errors. */
class DiagnosisCliTest {
    private static final Path SERVICES = Path.of(System.getProperty("finwait.samples", "../sample-captures"))
            .resolve("services.pcap");

    @Test
    void textNamesEachServicesProblemWorstFirstAndPrintsTheTables() {
        Cli.Result r = Cli.run("-q", "--by", "service,host", "--ephemeral-range", "40000-40499", SERVICES.toString());
        assertEquals(0, r.code(), r::toString);
        String out = r.out();
        int findings = out.indexOf("Findings, worst first");
        assertTrue(findings > 0, out);
        assertTrue(out.indexOf("  problem  ") < out.indexOf("  warning  ") && out.indexOf("  warning  ") < out.indexOf("  info  "),
                "worst first");
        assertTrue(out.contains("problem  close_wait_stuck  127.0.0.1:10402 (server): 20 of 20 connections (100 %)"), out);
        assertTrue(out.contains("problem  ephemeral_port_pressure  client 127.0.0.1 -> 127.0.0.1:10409: 500 in TIME_WAIT at once"),
                out);
        assertTrue(out.contains("\nServices, busiest first:\n") && out.contains("\nHosts, busiest first:\n"), out);
    }

    @Test
    void aLongerCloseWaitThresholdLetsTheEightSecondLeakGo() {
        // The story's server held its sockets in CLOSE_WAIT for 8 s.
        Cli.Result strict = Cli.run("-q", "--format", "jsonl", SERVICES.toString());
        Cli.Result lenient = Cli.run("-q", "--format", "jsonl", "--close-wait-threshold", "10s", SERVICES.toString());
        assertEquals(0, lenient.code(), lenient::toString);
        assertTrue(strict.out().contains("\"kind\":\"close_wait_stuck\""));
        assertFalse(lenient.out().contains("\"kind\":\"close_wait_stuck\""));
        assertTrue(lenient.out().contains("\"kind\":\"write_after_peer_close\""));
    }

    @Test
    void seriesStepIsTheFirstStep() {
        Cli.Result r = Cli.run("-q", "--format", "jsonl", "--series-step", "1s", SERVICES.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("\"type\":\"series\""));
        assertTrue(r.out().lines().filter(l -> l.startsWith("{\"type\":\"series\"")).allMatch(l -> l.contains("\"step\":1,")),
                r.out().lines().filter(l -> l.startsWith("{\"type\":\"series\"")).findFirst().orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ephemeral-range=40000", "--ephemeral-range=5-4", "--ephemeral-range=0-10",
            "--ephemeral-range=1-70000", "--close-wait-threshold=0", "--series-step=0s", "--by=port"})
    void badValuesAreOneLineAndExit2(String option) {
        Cli.Result r = Cli.run("-q", option, SERVICES.toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("analyze: "), r::toString);
        assertFalse(r.err().contains("Exception") || r.err().contains("dev.finwait"), r::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-i lo --summary-every 500ms | analyze: --summary-every must be at least 1s (e.g. 10s, 1m, 1h), not 500ms",
            "-i lo --summary-every 0 | analyze: --summary-every must be at least 1s (e.g. 10s, 1m, 1h), not 0ms",
            "-i lo --summary-every ten | analyze: --summary-every: 'ten' is not a duration (e.g. 60s, 4m, 500ms)",
            "-i lo -T csv --summary-every 10s | analyze: --summary-every prints the findings in the text and jsonl formats only, not csv",
            "-i lo -T html --summary-every 10s | analyze: --summary-every prints the findings in the text and jsonl formats only, not html",
            "--summary-every 10s FILE | analyze: --summary-every applies to live capture (--interface) only; a file's findings come at its end"})
    void summaryEveryIsCheckedBeforeAnythingStarts(String args, String message) {
        String[] argv = args.replace("FILE", SERVICES.toString()).split(" ");
        Cli.Result r = Cli.run(argv);
        assertEquals(2, r.code(), r::toString);
        assertEquals(java.util.List.of(message), r.errLines(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void tablesAreForTheTextFormat() {
        Cli.Result r = Cli.run("-q", "--format", "jsonl", "--by", "service", SERVICES.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--by"), r::toString);
    }
}
