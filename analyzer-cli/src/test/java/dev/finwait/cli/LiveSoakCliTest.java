package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI soak: two minutes of live capture on {@code lo} with continuous churn (300 short connections a
 * second, graceful, SO_LINGER 0 and half-close in turn), in a JVM capped at a 128 MB heap, stopped by
 * --duration. No drop, no error, the complete report, and the live JSONL equal to file mode
 * ({@code --emit close}) on its own --write capture. The resident memory is sampled every 5 s and
 * printed (the longer soak and its figures: bench/live-soak.sh, BENCHMARKS.md). Needs root; in CI a
 * skip is a failure.
 */
class LiveSoakCliTest {
    private static final int SECONDS = 120;
    private static final int RATE = 300;

    @TempDir
    Path dir;

    @Test
    @Timeout(SECONDS + 600)
    void twoMinutesOfChurnInABoundedHeap() throws Exception {
        if (!Cli.runningAsRoot()) {
            if (Cli.inCi()) {
                fail("live capture tests must run in CI: run the tests as root");
            }
            assumeTrue(false, "live capture needs root");
        }
        Path pcap = dir.resolve("soak.pcap");
        try (ChurnGenerator churn = new ChurnGenerator(0);
                LiveFaultsCliTest.Child c = LiveFaultsCliTest.Child.start(List.of(), System.getProperty("java.class.path"),
                        List.of("-Xmx128m", "-XX:+UseSerialGC"), "--interface", "lo", "--filter", "tcp port " + churn.port(),
                        "--duration", SECONDS + "s", "-T", "jsonl", "-q", "--write", pcap.toString())) {
            c.awaitListening();
            churn.start(Long.MAX_VALUE, TimeUnit.SECONDS.toMillis(SECONDS + 5), RATE);
            List<Long> rssMb = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS + 60);
            while (c.process.isAlive() && System.nanoTime() < deadline) {
                rssMb.add(rssMb(c.process.pid()));
                c.process.waitFor(5, TimeUnit.SECONDS);
            }
            churn.stop();
            LiveFaultsCliTest.Child.Result r = c.finish(180);
            System.out.println("LiveSoakCliTest: " + churn.connectionsDone() + " connections (" + churn.connectionsFailed()
                    + " failed), resident MB every 5 s: " + rssMb + "; " + r.err().strip());

            assertEquals(0, r.code(), r::toString);
            assertFalse(r.err().contains("OutOfMemory") || r.err().contains("internal error"), r.err());
            assertTrue(r.err().contains(" 0 dropped by libpcap, 0 dropped by the interface"), r.err());
            List<String> live = r.out().lines().toList();
            assertTrue(live.get(live.size() - 1).startsWith("{\"type\":\"summary\""), "the summary ends the report");
            long connections = live.stream().filter(l -> l.startsWith("{\"type\":\"connection\"")).count();
            assertTrue(connections > SECONDS * RATE / 2, "connections reported: " + connections);

            Cli.Result file = Cli.run("-T", "jsonl", "-q", "--emit", "close", pcap.toString());
            assertEquals(0, file.code(), file.err());
            assertTrue(file.out().equals(r.out()), "live = file mode --emit close on its --write capture");
            Files.delete(pcap);
        }
    }

    /** VmRSS of a process in MB, or -1. */
    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
