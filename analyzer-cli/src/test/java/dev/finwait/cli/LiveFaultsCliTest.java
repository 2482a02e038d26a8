package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.event.AnalysisListener;
import dev.finwait.model.ConnectionReport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture going wrong, through the real command line: a bad BPF filter, no permission to capture,
 * SIGTERM in the middle of a capture, libpcap missing. Needs root (the permission cases drop it in a
 * child JVM); in CI (CI=true) the tests must run, so missing root fails them instead of skipping.
 */
class LiveFaultsCliTest {

    @TempDir
    Path dir;

    private static void requireRoot() {
        if (!Cli.runningAsRoot()) {
            if (Cli.inCi()) {
                fail("live capture tests must run in CI: run the tests as root");
            }
            assumeTrue(false, "live capture needs root");
        }
    }

    /** One plain line on stderr, starting "analyze: ", no stack trace or exception name. */
    private static String oneLine(String err, String context) {
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), context);
        String line = lines.get(0);
        assertTrue(line.startsWith("analyze: "), context);
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("at dev."), context);
        return line;
    }

    @Test
    @Timeout(30)
    void badFilterIsAUsageErrorWithOneLine() {
        requireRoot();
        Cli.Result r = Cli.run("--interface", "lo", "--filter", "tcp port", "--duration", "1s");
        assertEquals(ExitCode.USAGE.code(), r.code(), r::toString); // a bad value, as for files
        assertTrue(r.err().contains("syntax error"), r::toString); // libpcap's reason
        String line = oneLine(r.err(), r.toString());
        assertTrue(line.contains("filter") && line.contains("'tcp port'"), line);
        assertEquals("", r.out());
    }

    /**
     * The interface goes away mid-capture (a veth pair the test creates and deletes): exit 7, one line
     * naming the interface, and the report of what was captured before it, then libpcap's counters.
     */
    @Test
    @Timeout(180)
    void interfaceGoingDownEndsTheCaptureWithTheReport() throws Exception {
        requireRoot();
        // The whole pid (at most 7 digits: 14 characters with the peer's "p", under IFNAMSIZ) cannot be
        // another running test's; a pair left by a killed run of the same pid is removed first.
        String name = "fwdown" + ProcessHandle.current().pid();
        new ProcessBuilder("ip", "link", "del", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        run("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        try {
            run("ip", "link", "set", name, "up");
            run("ip", "link", "set", name + "p", "up");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<Cli.Result> capture = Cli.startLive(pool,
                        "--interface", name, "--duration", "30s", "--format", "jsonl", "-q"); // libpcap has opened it
                run("ip", "link", "del", name);
                Cli.Result r = capture.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(ExitCode.CAPTURE_FAILED.code(), r.code(), r::toString);
                List<String> err = r.err().lines().toList();
                assertTrue(err.get(0).startsWith("listening on " + name + ", "), r.err()); // the start line, then
                assertTrue(err.get(1).startsWith("analyze: capture on '" + name + "' failed"), r.err());
                assertTrue(err.stream().noneMatch(l -> l.contains("\tat ") || l.contains("Exception")), r.err());
                List<String> out = r.out().lines().toList();
                assertTrue(!out.isEmpty() && out.get(out.size() - 1).startsWith("{\"type\":\"summary\""),
                        "the report is printed: " + r.out());
            } finally {
                pool.shutdownNow();
            }
        } finally {
            new ProcessBuilder("ip", "link", "del", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes()));
    }

    /** Root with CAP_NET_RAW and CAP_NET_ADMIN out of the bounding set: libpcap gets EPERM. */
    @Test
    @Timeout(180)
    void noCapabilityIsPermissionDenied() throws Exception {
        requireRoot();
        try (Child c = Child.start(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-net_raw,-net_admin"),
                classPath(), List.of(), "--interface", "lo", "--duration", "1s")) {
            assertPermissionDenied(c.finish(120));
        }
    }

    /**
     * An ordinary user (nobody). Maven's repository is often under root's private home, so the jars of the
     * class path are copied to a world-readable directory first.
     */
    @Test
    @Timeout(180)
    void ordinaryUserIsPermissionDenied() throws Exception {
        requireRoot();
        Path lib = Files.createDirectory(dir.resolve("lib"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : classPath().split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p)) {
                Path copy = lib.resolve((n++) + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else {
                entries.add(e); // target/classes of this checkout
            }
        }
        try (Child c = Child.start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                String.join(File.pathSeparator, entries), List.of(), "--interface", "lo", "--duration", "1s")) {
            assertPermissionDenied(c.finish(120));
        }
    }

    private static void assertPermissionDenied(Child.Result r) {
        assertEquals(ExitCode.PERMISSION.code(), r.code(), r::toString);
        String line = oneLine(r.err(), r.toString());
        assertTrue(line.contains("permission denied") && line.contains("'lo'"), line);
        assertTrue(line.contains("sudo") && !line.contains("setcap"), "no setcap on the system's java: " + line);
        assertEquals("", r.out(), r::toString);
    }

    /**
     * pcap4j loads the library named by org.pcap4j.core.pcapLibName; naming one that does not exist is a
     * reliable way to make libpcap unfindable (jna.library.path alone is not: JNA falls back to the system).
     */
    @Test
    @Timeout(180)
    void libpcapMissing() throws Exception {
        requireRoot();
        try (Child c = Child.start(List.of(), classPath(),
                List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8", "-Djna.library.path=/nonexistent"),
                "--interface", "lo", "--duration", "1s")) {
            Child.Result r = c.finish(120);
            assertEquals(ExitCode.LIBPCAP_MISSING.code(), r.code(), r::toString);
            assertTrue(oneLine(r.err(), r.toString()).contains("libpcap not found"), r::toString);
            assertEquals("", r.out(), r::toString);
        }
    }

    /**
     * SIGTERM in the middle of a 180 s capture: it stops the capture, the full report
     * (the connection, then the summary) is printed, and the --write file is a complete pcap with the
     * connection's packets.
     */
    @Test
    @Timeout(300)
    void sigtermPrintsTheReportAndLeavesAValidPcap() throws Exception {
        requireRoot();
        Path pcap = dir.resolve("live.pcap");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                Child c = Child.start(List.of(), classPath(), List.of(), "--interface", "lo", "--filter",
                        "tcp port " + server.getLocalPort(), "--duration", "180s", "--format", "jsonl", "-q",
                        "--write", pcap.toString())) {
            int port = server.getLocalPort();
            awaitCapturing(c);

            CompletableFuture<byte[]> accepted = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                    OutputStream out = client.getOutputStream()) {
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
            }
            assertEquals("hello", new String(accepted.get(60, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
            // The connection's line comes out at its last packet (the client's ACK of the server's FIN):
            // from then on the capture has taken every packet of it (a stop drops what libpcap still holds).
            c.awaitOut(120, out -> out.contains("{\"type\":\"connection\""), "the connection's line");

            assertTrue(c.process.isAlive(), "still capturing (180 s) when the signal comes");
            c.process.destroy(); // SIGTERM
            Child.Result r = c.finish(120);
            assertEquals(0, r.code(), () -> "a requested stop exits 0, as tcpdump does\n" + r);
            assertTrue(r.err().contains("packets received by filter"), r::toString);
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : r.out().lines().toList()) {
                lines.add(json.readTree(line));
            }
            assertFalse(lines.isEmpty(), r::toString);
            JsonNode last = lines.get(lines.size() - 1);
            assertEquals("summary", last.path("type").asText(), () -> "the summary ends the report\n" + r);
            List<JsonNode> ours = lines.stream().filter(n -> n.path("type").asText().equals("connection")
                    && n.path("server").path("port").asInt() == port).toList();
            assertEquals(1, ours.size(), r::toString);
            assertEquals("complete", ours.get(0).path("handshake").asText(), ours.get(0)::toString);
            assertEquals(5, ours.get(0).path("counts").path("client").path("payload_bytes").asInt(), ours.get(0)::toString);

            // the --write file: readable to the end, with the whole connection
            AnalysisResult written = Analyzer.analyze(CaptureReaders.open(pcap), AnalyzerConfig.defaults(),
                    AnalysisListener.NONE);
            assertEquals(null, written.summary().inputError(), "a complete pcap: " + written.summary());
            List<ConnectionReport> conns = written.connections().stream().filter(x -> x.server().port() == port).toList();
            assertEquals(1, conns.size(), written.connections()::toString);
            assertTrue(written.summary().tcpSegments() >= 7, "SYN, SYN-ACK, ACK, data, ACK, FINs: " + written.summary());
            java.io.StringWriter again = new java.io.StringWriter();
            new dev.finwait.report.format.JsonlWriter(again).connection(conns.get(0));
            again.flush();
            assertEquals(ours.get(0).path("close").asText(), json.readTree(again.toString().lines().findFirst()
                    .orElseThrow()).path("close").asText(), "the saved capture tells the same story");
            tcpdumpReads(pcap, port);
        }
    }

    /** `tcpdump -r` reads the file without complaint and sees the packets (when tcpdump is installed). */
    private static void tcpdumpReads(Path pcap, int port) throws Exception {
        Path tcpdump = Path.of("/usr/bin/tcpdump");
        if (!Files.isExecutable(tcpdump)) {
            tcpdump = Path.of("/usr/sbin/tcpdump");
        }
        if (!Files.isExecutable(tcpdump)) {
            if (Cli.inCi()) {
                fail("tcpdump missing: ./run-tests installs it in CI, where this check must run");
            }
            return;
        }
        Process p = new ProcessBuilder(tcpdump.toString(), "-nn", "-r", pcap.toString(), "tcp port " + port)
                .redirectErrorStream(false).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tcpdump -r finishes");
        String e = err.get(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), e);
        assertFalse(e.contains("truncated"), e);
        assertTrue(out.get(60, TimeUnit.SECONDS).lines().count() >= 7, out.get());
    }

    /** Waits (bounded) until the child has printed its start line, and checks it still runs. */
    private static void awaitCapturing(Child c) throws InterruptedException {
        c.awaitListening();
        assertTrue(c.process.isAlive(), () -> "the capture is running: " + c.errSoFar());
    }

    private static String classPath() {
        String cp = System.getProperty("java.class.path");
        assertNotNull(cp);
        return cp;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /**
     * The CLI in a child JVM: the same java, the given class path, main class dev.finwait.cli.Main.
     * Its output goes to files: Process.destroy() closes the pipes, which would lose what the
     * shutdown hook prints. Closing it (try-with-resources) kills a child still running: a test that
     * fails half-way leaves no capture behind.
     */
    static final class Child implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;

        record Result(int code, String out, String err) {
            @Override
            public String toString() {
                return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
            }
        }

        private Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Child start(List<String> wrapper, String classPath, List<String> jvmArgs, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            if (Cli.sigintIgnored()) {
                cmd.addAll(List.of("env", "--default-signal=INT")); // coreutils 8.31 and later (Debian 11 and later)
            }
            cmd.addAll(wrapper);
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add("dev.finwait.cli.Main");
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile("analyze-out", ".txt");
            Path err = Files.createTempFile("analyze-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("CLASSPATH");
            pb.environment().put("LD_LIBRARY_PATH", "");
            return new Child(pb.start(), out, err);
        }

        /**
         * Waits until the child has printed its start line (it captures from then on) or has ended;
         * fails after {@link Cli#START_SECONDS}.
         */
        void awaitListening() throws InterruptedException {
            Cli.awaitStartLine(this::errSoFar, () -> !process.isAlive());
        }

        /** Waits until the child's standard output so far satisfies {@code condition}; fails after {@code seconds}. */
        void awaitOut(int seconds, java.util.function.Predicate<String> condition, String what) throws InterruptedException {
            Cli.await(seconds, () -> condition.test(outSoFar()) || !process.isAlive(),
                    () -> what + " not out within " + seconds + " s; stdout so far: " + outSoFar() + "\nstderr: " + errSoFar());
            assertTrue(condition.test(outSoFar()), () -> "the child ended before " + what + ": " + errSoFar());
        }

        String errSoFar() {
            return read(err);
        }

        String outSoFar() {
            return read(out);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                return "(" + e + ")";
            }
        }

        Result finish(int seconds) throws Exception {
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    fail("the CLI did not exit within " + seconds + " s; stderr so far: " + errSoFar());
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                close();
            }
        }

        /** Kills the child if it still runs (a test that failed before {@link #finish}) and removes its files. */
        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
