package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code analyze --interface lo} in-process while the test makes a real TCP connection on loopback.
 * Needs root (or CAP_NET_RAW) and libpcap; in CI (CI=true) it must run, so missing privileges fail it.
 */
class LiveCaptureCliTest {

    private static final Set<String> GRACEFUL = Set.of("four_way", "three_way", "simultaneous");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void reportsARealLoopbackConnectionThatClosedGracefully() throws Exception {
        requireRoot();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Future<Cli.Result> analyzer = captureOnLoopback(pool, port, "--format", "jsonl");
            Future<byte[]> accepted = pool.submit(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.readAllBytes(); // until the client's FIN; closing the socket sends ours
                }
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                    OutputStream out = client.getOutputStream()) {
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals("hello", new String(accepted.get(60, TimeUnit.SECONDS), StandardCharsets.US_ASCII));

            Cli.Result r = analyzer.get(60, TimeUnit.SECONDS);
            if (r.code() == 6 && !Cli.inCi()) {
                assumeTrue(false, "libpcap missing: " + r.err());
            }
            assertEquals(0, r.code(), r::toString);
            assertFalse(r.err().contains("at dev."), r::toString);
            assertTrue(r.err().contains("packets received by filter"), "capture statistics on stderr: " + r.err());
            assertTrue(r.err().startsWith("listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes, "
                    + "buffer 64 MiB, filter 'tcp port " + port + "'\n"), "tcpdump's start line first: " + r.err());

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> ours = new ArrayList<>();
            for (String line : r.outLines()) {
                JsonNode n = json.readTree(line);
                if (n.path("type").asText().equals("connection") && n.path("server").path("port").asInt() == port) {
                    ours.add(n);
                }
            }
            assertEquals(1, ours.size(), () -> "one connection to port " + port + " in\n" + r);
            JsonNode c = ours.get(0);
            assertEquals("127.0.0.1", c.path("server").path("ip").asText(), c::toString);
            assertEquals("complete", c.path("handshake").asText(), c::toString);
            assertTrue(GRACEFUL.contains(c.path("close").asText()), () -> "graceful close: " + c);
            assertEquals("client", c.path("first_fin").asText(), "the client closed first: " + c);
            assertEquals(5, c.path("counts").path("client").path("payload_bytes").asInt(), c::toString);
            assertEquals("SF", c.path("zeek").path("conn_state").asText(), c::toString);
            assertTrue(c.path("resets").isEmpty(), c::toString);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Text format: events are printed as they happen, then the report. Two real connections: one
     * closed normally (client TIME_WAIT), one aborted with SO_LINGER 0 (RST from ESTABLISHED).
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void printsEventsAsTheyHappenThenTheReport() throws Exception {
        requireRoot();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Future<Cli.Result> analyzer = captureOnLoopback(pool, port);
            Future<Integer> served = pool.submit(() -> {
                int n = 0;
                for (int i = 0; i < 2; i++) {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                        in.readAllBytes();
                        n++;
                    } catch (java.io.IOException reset) {
                        n++; // the SO_LINGER 0 client resets it
                    }
                }
                return n;
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.getOutputStream().write("graceful".getBytes(StandardCharsets.US_ASCII));
            }
            Thread.sleep(200);
            Socket aborter = new Socket(InetAddress.getLoopbackAddress(), port);
            aborter.getOutputStream().write("abort".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(100);
            aborter.setSoLinger(true, 0);
            aborter.close();
            assertEquals(2, served.get(60, TimeUnit.SECONDS));

            Cli.Result r = analyzer.get(60, TimeUnit.SECONDS);
            if (r.code() == 6 && !Cli.inCi()) {
                assumeTrue(false, "libpcap missing: " + r.err());
            }
            assertEquals(0, r.code(), r::toString);
            String out = r.out();
            assertTrue(out.contains("#1 ") && out.contains("client ESTABLISHED -> FIN_WAIT_1"), () -> "events of #1:\n" + out);
            assertTrue(out.contains("client TIME_WAIT until"), () -> "TIME_WAIT event:\n" + out);
            assertTrue(out.contains("reset by client in ESTABLISHED"), () -> "reset event:\n" + out);
            int firstEvent = out.indexOf("client ESTABLISHED -> FIN_WAIT_1");
            int report = out.indexOf("2 connections:");
            assertTrue(report > firstEvent && firstEvent >= 0, () -> "events first, then the report:\n" + out);
            assertTrue(out.contains("1 graceful") && out.contains("1 reset"), () -> "totals:\n" + out);
            // client first, as in the report: 127.0.0.1:<ephemeral> > 127.0.0.1:<port>
            for (String line : r.outLines()) {
                if (line.contains(" #") && line.contains(" -> ")) {
                    assertTrue(line.matches(".* #\\d+ 127\\.0\\.0\\.1:\\d+ > 127\\.0\\.0\\.1:" + port + "  .*"),
                            "event line oriented client > server: " + line);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Live capture needs root: skipped on a developer's machine without it, a failure in CI. */
    private static void requireRoot() {
        if (!Cli.runningAsRoot()) {
            if (Cli.inCi()) {
                fail("live capture must run in CI: run the tests as root");
            }
            assumeTrue(false, "live capture needs root");
        }
    }

    /**
     * Starts `analyze --interface lo` on one port for 10 s and returns once libpcap is capturing. The
     * test's traffic takes well under a second; the rest is room for a loaded machine, since what is sent
     * after the capture's end is not in the report.
     */
    private static Future<Cli.Result> captureOnLoopback(ExecutorService pool, int port, String... format)
            throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--interface", "lo", "--filter", "tcp port " + port,
                "--duration", "10s", "-q"));
        args.addAll(List.of(format));
        return Cli.startLive(pool, args.toArray(String[]::new)); // the socket is armed before the first SYN
    }
}
