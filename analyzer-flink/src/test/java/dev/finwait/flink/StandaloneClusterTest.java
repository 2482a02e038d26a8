package dev.finwait.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster: a JobManager and two TaskManagers as separate JVMs on 127.0.0.1, started from
 * Flink's own classes (the Maven artifacts on this module's class path, without finwait's), the job
 * submitted to it with {@code --cluster} (finwait's classes travel as the job's jars), at a
 * parallelism that needs both TaskManagers: the output equals the CLI's.
 */
@Timeout(600) // each test: a job that never ends fails instead of stalling the build
class StandaloneClusterTest {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void aJobManagerAndTwoTaskManagersGiveTheCliAnswers() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Set<Integer> ports = new HashSet<>();
        int rest = freePort(ports);
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1", "jobmanager.rpc.port: " + freePort(ports),
                "jobmanager.bind-host: 127.0.0.1", "taskmanager.host: 127.0.0.1", "taskmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1", "rest.bind-address: 127.0.0.1", "rest.port: " + rest,
                "blob.server.port: " + freePort(ports), "taskmanager.numberOfTaskSlots: 2",
                "jobmanager.memory.process.size: 1024m", "taskmanager.memory.process.size: 1024m",
                "taskmanager.memory.managed.fraction: 0.1", "parallelism.default: 2",
                "io.tmp.dirs: " + Files.createDirectories(tmp.resolve("io")), ""));
        String cp = flinkClassPath();
        try {
            List<String> jm = resourceParams(cp, conf, "GET_JM_RESOURCE_PARAMS");
            List<String> tm = resourceParams(cp, conf, "GET_TM_RESOURCE_PARAMS");
            start(cp, jm, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf, "jm");
            start(cp, tm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf, "tm1");
            start(cp, tm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf, "tm2");
            awaitTaskManagers(rest, 2);

            Path capture = Captures.samples().resolve("busy.pcap");
            List<Path> files = Captures.cut(capture, 40, tmp.resolve("busy"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"--cluster", "127.0.0.1:" + rest, "--parallelism", "4",
                    tmp.resolve("busy").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            ParityTest.assertParity(capture, lines, "busy in " + files.size() + " files on a standalone cluster, p4",
                    Main.Mode.BATCH);
            // The client has the job's result; the cluster's overview may count the job a moment later.
            awaitOverview(rest, "\"jobs-finished\":1", "the job finished on the cluster");
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** This module's test class path without finwait's own classes: Flink and its dependencies. */
    private static String flinkClassPath() {
        String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(all.split(File.pathSeparator))
                .filter(e -> !e.contains("analyzer-core") && !e.contains("analyzer-flink"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The JVM options and -D settings Flink's scripts derive from the memory configuration. */
    private static List<String> resourceParams(String cp, Path conf, String which) throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", cp, "org.apache.flink.runtime.util.bash.BashJavaUtils", which,
                "--configDir", conf.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), which);
        List<String> result = new ArrayList<>();
        for (String line : text.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")).toList()) {
            result.addAll(Arrays.asList(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim().split("\\s+")));
        }
        assertTrue(result.size() > 2, which + " printed: " + text);
        return result;
    }

    private void start(String cp, List<String> params, String main, Path conf, String name) throws Exception {
        List<String> jvm = params.stream().filter(a -> a.startsWith("-X")).toList();
        List<String> settings = params.stream().filter(a -> !a.startsWith("-X")).toList();
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", cp, main, "--configDir", conf.toString()));
        cmd.addAll(settings);
        Path log = tmp.resolve(name + ".log");
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    private void awaitTaskManagers(int rest, int n) throws Exception {
        awaitOverview(rest, "\"taskmanagers\":" + n, n + " TaskManagers");
    }

    /** Polls the REST overview until it contains {@code text}; fails after 180 s (JVMs starting on a loaded machine). */
    private void awaitOverview(int rest, String text, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String last = "";
        while (System.nanoTime() < end) {
            for (Process p : processes) {
                assertTrue(p.isAlive(), "a cluster process stopped: " + logs());
            }
            try {
                last = get(rest, "/overview");
                if (last.contains(text)) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not " + what + " within 180 s: " + last + "\n" + logs());
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("jm", "tm1", "tm2")) {
            try {
                String text = Files.readString(tmp.resolve(name + ".log"));
                b.append(name).append(": ").append(text, Math.max(0, text.length() - 2000), text.length()).append('\n');
            } catch (java.io.IOException e) {
                b.append(name).append(": no log\n");
            }
        }
        return b.toString();
    }

    private static String get(int port, String path) throws Exception {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * A loopback port that is free now and below the kernel's ephemeral range. The cluster binds it
     * seconds later (JVMs start first); a port from bind(0) would be in the ephemeral range, where any
     * outgoing connection meanwhile (a TaskManager's, this test's HTTP polls) may be given it.
     */
    private static int freePort(Set<Integer> taken) throws Exception {
        int low = 10_000;
        int high = ephemeralLow() - 1;
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 1_000 && high - low >= 1_000; i++) {
            int port = low + random.nextInt(high - low + 1);
            if (taken.contains(port)) {
                continue;
            }
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
                taken.add(port);
                return port;
            } catch (java.io.IOException inUse) {
                // another one
            }
        }
        if (high - low < 1_000) { // no room below the ephemeral range on this machine: the kernel's choice
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        throw new AssertionError("no free port between " + low + " and " + high);
    }

    /** The first port of /proc/sys/net/ipv4/ip_local_port_range (Linux's default 32768 elsewhere). */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
