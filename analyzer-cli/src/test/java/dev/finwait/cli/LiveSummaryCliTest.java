package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --summary-every} for real on {@code lo}: a server that reads its clients' EOF and never
 * closes is named {@code close_wait_stuck} in a summary so far while the capture still runs (the
 * connections are still tracked: nothing about them is final yet), a clean service beside it gets no
 * finding, and the final report after SIGINT is the usual one. Waits for conditions only (the start
 * line, then a summary that names the leak, bounded); needs root, and in CI a skip is a failure.
 */
class LiveSummaryCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void root() {
        if (!Cli.runningAsRoot()) {
            if (Cli.inCi()) {
                fail("live capture tests must run in CI: run the tests as root");
            }
            assumeTrue(false, "live capture needs root");
        }
    }

    /** Two clients of {@code leaky} write, close and are read to EOF by a server that keeps the sockets. */
    private static List<Socket> leak(ServerSocket leaky) throws IOException {
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), leaky.getLocalPort())) {
                Socket accepted = leaky.accept();
                held.add(accepted);
                client.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                InputStream in = accepted.getInputStream();
                in.readAllBytes(); // EOF seen by the application, which then never closes
            }
        }
        return held;
    }

    /** One graceful connection to {@code clean}: the client closes first, the server reads EOF and closes. */
    private static void graceful(ServerSocket clean) throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), clean.getLocalPort());
                Socket accepted = clean.accept()) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.close();
            accepted.getInputStream().readAllBytes();
        }
    }

    /** Polls the child's output (bounded: 120 s) until {@code done} holds for it; returns it. */
    private static String awaitOutput(LiveFaultsCliTest.Child c, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String out = "";
        while (System.nanoTime() < deadline && c.process.isAlive()) {
            out = Files.readString(c.out);
            if (done.test(out)) {
                return out;
            }
            Thread.sleep(50);
        }
        fail("no such output within 120 s; stdout so far:\n" + out + "\nstderr so far:\n" + c.errSoFar());
        return out;
    }

    private static LiveFaultsCliTest.Child.Result stop(LiveFaultsCliTest.Child c) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(c.process.pid())).start();
        assertTrue(kill.waitFor(60, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT");
        return c.finish(120); // generous: a loaded machine is only slow
    }

    private static boolean namesTheLeak(JsonNode interim, int port) {
        for (JsonNode f : interim.get("findings")) {
            if (f.get("kind").asText().equals("close_wait_stuck") && f.at("/service/port").asInt() == port
                    && f.get("count").asInt() == 2) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                all.add(JSON.readTree(line));
            }
        }
        return all;
    }

    @Test
    @Timeout(360)
    void jsonlNamesALeakInASummarySoFarWhileTheCaptureRuns() throws Exception {
        try (ServerSocket leaky = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket clean = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int leakyPort = leaky.getLocalPort();
            int cleanPort = clean.getLocalPort();
            // closed however the test ends: a failure leaves no capture running
            try (LiveFaultsCliTest.Child c = LiveFaultsCliTest.Child.start(List.of(), System.getProperty("java.class.path"),
                        List.of(), "--interface", "lo", "--filter", "tcp port " + leakyPort + " or tcp port " + cleanPort,
                        "--duration", "150s", "--summary-every", "1s", "--close-wait-threshold", "1s", "-T", "jsonl", "-q")) {
                c.awaitListening();
                graceful(clean);
                List<Socket> held = leak(leaky);
                try {
                    awaitOutput(c, out -> {
                        try {
                            return lines(out).stream().anyMatch(n -> n.get("type").asText().equals("interim")
                                    && namesTheLeak(n, leakyPort));
                        } catch (IOException partialLine) {
                            return false; // a line being written: read again
                        }
                    });
                    // The final report judges as of the last packet (as file mode does with the --write file): one
                    // more packet after the threshold, as on any busy wire.
                    graceful(clean);
                    // Stopped only once that connection is written (at its close): packets still in libpcap's
                    // ring when the stop comes are not taken, as with tcpdump.
                    awaitOutput(c, out -> {
                        try {
                            return lines(out).stream().filter(n -> n.get("type").asText().equals("connection")
                                    && n.at("/server/port").asInt() == cleanPort).count() == 2;
                        } catch (IOException partialLine) {
                            return false;
                        }
                    });
                    LiveFaultsCliTest.Child.Result r = stop(c);
                    assertEquals(0, r.code(), r::toString);
                    List<JsonNode> all = lines(r.out());
                    JsonNode firstInterim = all.stream().filter(n -> n.get("type").asText().equals("interim")
                            && namesTheLeak(n, leakyPort)).findFirst().orElseThrow();
                    assertEquals(3, firstInterim.at("/connections/finished").asInt()
                            + firstInterim.at("/connections/tracked").asInt(), firstInterim::toString);
                    assertTrue(firstInterim.at("/connections/tracked").asInt() >= 2,
                            () -> "the leaking connections are still tracked: " + firstInterim);
                    for (JsonNode n : all) {
                        String type = n.get("type").asText();
                        if (type.startsWith("interim")) {
                            assertTrue(n.has("as_of"), n::toString);
                        }
                        if (type.equals("interim_service") && n.at("/server/port").asInt() == cleanPort) {
                            assertEquals(0, n.get("findings").size(), () -> "the clean service: " + n);
                        }
                    }
                    assertEquals("summary", all.get(all.size() - 1).get("type").asText(), "the summary stays last");
                    JsonNode finalLeaky = all.stream().filter(n -> n.get("type").asText().equals("service")
                            && n.at("/server/port").asInt() == leakyPort).findFirst().orElseThrow();
                    assertEquals("close_wait_stuck", finalLeaky.at("/findings/0/kind").asText(), finalLeaky::toString);
                    assertEquals(2, finalLeaky.at("/close_wait/open_at_end").asInt(), finalLeaky::toString);
                    JsonNode finalClean = all.stream().filter(n -> n.get("type").asText().equals("service")
                            && n.at("/server/port").asInt() == cleanPort).findFirst().orElseThrow();
                    assertEquals(0, finalClean.get("findings").size(), finalClean::toString);
                } finally {
                    for (Socket s : held) {
                        s.close();
                    }
                }
            }
        }
    }

    @Test
    @Timeout(360)
    void textPrintsADelimitedBlockBetweenTheEventLines() throws Exception {
        try (ServerSocket leaky = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket clean = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = leaky.getLocalPort();
            // closed however the test ends: a failure leaves no capture running
            try (LiveFaultsCliTest.Child c = LiveFaultsCliTest.Child.start(List.of(), System.getProperty("java.class.path"),
                        List.of(), "--interface", "lo", "--filter", "tcp port " + port + " or tcp port " + clean.getLocalPort(),
                        "--duration", "150s",
                        "--summary-every", "1s", "--close-wait-threshold", "1s", "--by", "service", "-q")) {
                c.awaitListening();
                List<Socket> held = leak(leaky);
                String stuck = "problem  close_wait_stuck  127.0.0.1:" + port + " (server): 2 of 2 connections (100 %)";
                try {
                    awaitOutput(c, out -> out.contains(stuck) && out.indexOf("=== end of the summary so far ===",
                            out.indexOf(stuck)) > 0);
                    graceful(clean); // a packet after the threshold: the final report, as of the last packet, names it too
                    String written = "> 127.0.0.1:" + clean.getLocalPort() + "  open: complete";
                    awaitOutput(c, out -> out.contains(written)); // written at its close: taken from libpcap before the stop
                    LiveFaultsCliTest.Child.Result r = stop(c);
                    assertEquals(0, r.code(), r::toString);
                    String out = r.out();
                    int block = out.lastIndexOf("=== so far, as of ", out.indexOf(stuck));
                    assertTrue(block > 0 && out.substring(block, out.indexOf('\n', block))
                            .matches("=== so far, as of .*: 2 connections \\(0 finished, 2 still tracked\\) ==="), r::toString);
                    assertTrue(out.indexOf("\nServices, busiest first:\n", block) > block, "the --by table in the block");
                    int end = out.indexOf("=== end of the summary so far ===", block);
                    int totals = out.indexOf("\n3 connections: ");
                    assertTrue(end > block && totals > end, () -> "the final totals after the blocks: " + r);
                    assertTrue(out.indexOf(stuck, totals) > totals, () -> "the final findings name it too: " + r);
                    assertFalse(out.substring(totals).contains("=== so far"), () -> "nothing after the final report: " + r);
                } finally {
                    for (Socket s : held) {
                        s.close();
                    }
                }
            }
        }
    }
}
