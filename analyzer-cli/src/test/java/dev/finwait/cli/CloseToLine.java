package dev.finwait.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long after a connection's closing packet its line comes out of a live capture: {@code analyze
 * --interface lo -T jsonl} runs in a child JVM, this makes one graceful connection at a time on
 * loopback, and a reader notes when each connection's line appears in the child's output against the
 * line's own {@code last_ts} (the kernel's timestamp of the closing packet, the same wall clock).
 *
 * <p>{@code java -cp <the test class path> dev.finwait.cli.CloseToLine [CONNECTIONS [GAP_MS]]} prints the
 * delays (median, 90th percentile, max); {@code LiveStreamingCliTest} runs a few.
 */
final class CloseToLine {
    private static final Pattern CONNECTION = Pattern.compile("^\\{\"type\":\"connection\",\"id\":(\\d+),.*?\"last_ts\":([0-9.]+),");

    record Result(int connections, List<Double> delaysMillis, String stderr, int exit) {
        double percentile(double p) {
            List<Double> d = new ArrayList<>(delaysMillis);
            Collections.sort(d);
            return d.isEmpty() ? Double.NaN : d.get((int) Math.min(d.size() - 1, Math.floor(p * d.size())));
        }

        @Override
        public String toString() {
            return String.format("%d connections, %d lines while capturing; close-to-line delay median %.0f ms, "
                            + "90th percentile %.0f ms, max %.0f ms", connections, delaysMillis.size(), percentile(0.5),
                    percentile(0.9), percentile(1.0));
        }
    }

    private CloseToLine() {
    }

    /** Bounded: {@code connections} connections {@code gapMillis} apart, then SIGINT; the child gets 120 s. */
    static Result measure(int connections, int gapMillis) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                LiveFaultsCliTest.Child c = LiveFaultsCliTest.Child.start(List.of(), System.getProperty("java.class.path"),
                        List.of(), "--interface", "lo", "--filter", "tcp port " + server.getLocalPort(), "--duration", "300s",
                        "-T", "jsonl", "-q")) {
            int port = server.getLocalPort();
            c.awaitListening();
            List<Double> delays = Collections.synchronizedList(new ArrayList<>());
            Thread tail = new Thread(() -> tail(c.out, delays, connections), "tail");
            tail.setDaemon(true);
            tail.start();
            for (int i = 0; i < connections; i++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                        Socket accepted = server.accept()) {
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    client.close(); // the client closes first: FIN, ACK
                    InputStream in = accepted.getInputStream();
                    in.readAllBytes();
                } // the server closes: FIN, and the client's kernel sends the closing ACK
                Thread.sleep(gapMillis + (i * 37L) % 100); // not in step with libpcap's 100 ms read timeout
            }
            tail.join(60_000); // ends as soon as every line is out (each comes within a read timeout or so)
            List<Double> seen = new ArrayList<>(delays);
            new ProcessBuilder("kill", "-INT", Long.toString(c.process.pid())).start().waitFor(60, TimeUnit.SECONDS);
            LiveFaultsCliTest.Child.Result r = c.finish(120);
            return new Result(connections, seen, r.err(), r.code());
        }
    }

    /** Reads the child's output file as it grows (every 2 ms) until {@code expected} connection lines. */
    private static void tail(Path out, List<Double> delays, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int consumed = 0;
        StringBuilder pending = new StringBuilder();
        while (delays.size() < expected && System.nanoTime() < deadline) {
            try {
                byte[] all = Files.readAllBytes(out);
                if (all.length > consumed) {
                    Instant now = Instant.now();
                    pending.append(new String(all, consumed, all.length - consumed, StandardCharsets.UTF_8));
                    consumed = all.length;
                    int nl;
                    while ((nl = pending.indexOf("\n")) >= 0) {
                        Matcher m = CONNECTION.matcher(pending.substring(0, nl));
                        if (m.find()) {
                            double lastTs = Double.parseDouble(m.group(2));
                            double seen = now.getEpochSecond() + now.getNano() / 1e9;
                            delays.add((seen - lastTs) * 1000);
                        }
                        pending.delete(0, nl + 1);
                    }
                }
                Thread.sleep(2);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int gap = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Result r = measure(n, gap);
        System.out.println(r);
        System.out.println("analyze exit " + r.exit() + "; " + r.stderr().strip());
    }
}
