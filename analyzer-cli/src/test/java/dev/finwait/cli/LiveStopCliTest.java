package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a live capture at a random moment while thousands of short connections (graceful, SO_LINGER 0,
 * half-close) cross {@code lo}: SIGINT and SIGTERM in turn, eight times. Every time the command exits 0
 * with the summary and libpcap's counters, and its JSONL is byte for byte what file mode says about its
 * own {@code --write} capture with the same rule for when a connection is written ({@code --emit close}),
 * with the same connections as file mode's default: nothing taken from libpcap is lost or judged
 * differently at the stop.
 * Needs root; in CI a skip is a failure.
 */
class LiveStopCliTest {
    private static final int STOPS = 8;

    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void everyStopMidTrafficGivesTheReportOfItsOwnCapture() throws Exception {
        if (!Cli.runningAsRoot()) {
            if (Cli.inCi()) {
                fail("live capture tests must run in CI: run the tests as root");
            }
            assumeTrue(false, "live capture needs root");
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < STOPS; i++) {
            String signal = i % 2 == 0 ? "INT" : "TERM";
            stopOnce(i, signal, 300 + random.nextInt(2200), "seed " + seed + ", stop " + i + " (SIG" + signal + ")");
        }
    }

    private void stopOnce(int i, String signal, int afterMillis, String context) throws Exception {
        Path pcap = dir.resolve("stop" + i + ".pcap");
        try (ChurnGenerator churn = new ChurnGenerator(0);
                LiveFaultsCliTest.Child c = LiveFaultsCliTest.Child.start(List.of(), System.getProperty("java.class.path"),
                        List.of(), "--interface", "lo", "--filter", "tcp port " + churn.port(), "--format", "jsonl", "-q",
                        "--write", pcap.toString())) {
            c.awaitListening();
            assertTrue(c.process.isAlive(), () -> context + ": capturing; " + c.errSoFar());
            churn.start(Long.MAX_VALUE, 600_000, 1500); // until stop(): the signal comes while traffic flows
            // Traffic flows and the capture reports it (a connection's line), however slowly a loaded
            // machine starts them; only then the random moment of the stop.
            Cli.await(120, () -> churn.connectionsDone() > 0, () -> context + ": no connection made");
            c.awaitOut(120, out -> out.contains("{\"type\":\"connection\""), context + ": a connection's line");
            Thread.sleep(afterMillis);
            long before = churn.connectionsDone();
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(c.process.pid())).start();
            assertTrue(kill.waitFor(60, TimeUnit.SECONDS) && kill.exitValue() == 0, context + ": kill");
            churn.stop();
            LiveFaultsCliTest.Child.Result r = c.finish(120);
            assertTrue(before > 0, context + ": traffic was flowing");

            assertEquals(0, r.code(), () -> context + ": a requested stop exits 0\n" + r);
            assertTrue(r.err().contains("packets received by filter"), () -> context + "\n" + r);
            assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), () -> context + "\n" + r);
            List<String> live = r.out().lines().toList();
            assertFalse(live.isEmpty(), () -> context + "\n" + r);
            assertTrue(live.get(live.size() - 1).startsWith("{\"type\":\"summary\""), () -> context + ": the summary\n" + r);
            assertTrue(live.size() > 1, () -> context + ": connections were reported\n" + r);

            // Live writes each connection at its outcome: file mode does the same with --emit close.
            Cli.Result file = Cli.run("--format", "jsonl", "-q", "--emit", "close", pcap.toString());
            assertEquals(0, file.code(), () -> context + ": " + file);
            if (!file.out().equals(r.out())) {
                fail(context + ": live and file mode differ; first difference: " + firstDifference(live, file.outLines()));
            }
            // ... and reports the same connections as file mode's default (each one once, when finished)
            Cli.Result finished = Cli.run("--format", "jsonl", "-q", pcap.toString());
            assertEquals(ids(file.outLines(), "\"type\":\"connection\""), ids(finished.outLines(), "\"type\":\"connection\""),
                    context + ": the same connections");
            if (i == 0) {
                readableByWiresharkAndTcpdump(pcap, live.get(live.size() - 1), context);
            }
            Files.delete(pcap);
        }
    }

    /**
     * The --write file is a nanosecond pcap that capinfos (Wireshark) and tcpdump read whole: as many
     * packets as the report's frames. CI installs both (./run-tests); elsewhere a missing one is skipped.
     */
    private static void readableByWiresharkAndTcpdump(Path pcap, String summary, String context) throws Exception {
        long frames = Long.parseLong(summary.replaceAll(".*\"frames\":(\\d+),.*", "$1"));
        if (Cli.inCi() || Files.isExecutable(Path.of("/usr/bin/capinfos"))) {
            String out = run("capinfos", "-T", "-r", "-M", "-t", "-c", pcap.toString());
            assertEquals(pcap + "\tnsecpcap\t" + frames, out.strip(), context + ": capinfos");
        }
        String tcpdump = Files.isExecutable(Path.of("/usr/bin/tcpdump")) ? "/usr/bin/tcpdump" : "/usr/sbin/tcpdump";
        if (Cli.inCi() || Files.isExecutable(Path.of(tcpdump))) {
            String out = run(tcpdump, "-nn", "--nano", "-r", pcap.toString());
            assertEquals(frames, out.lines().count(), context + ": tcpdump -r");
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return new String(out.get(60, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> ids(List<String> lines, String type) {
        return lines.stream().filter(l -> l.startsWith("{" + type + ",")).map(l -> l.substring(0, l.indexOf(",\"client\"")))
                .sorted().toList();
    }

    private static String firstDifference(List<String> live, List<String> file) {
        for (int k = 0; k < Math.min(live.size(), file.size()); k++) {
            if (!live.get(k).equals(file.get(k))) {
                return "line " + (k + 1) + "\n live: " + live.get(k) + "\n file: " + file.get(k);
            }
        }
        return "live " + live.size() + " lines, file " + file.size() + " lines";
    }
}
