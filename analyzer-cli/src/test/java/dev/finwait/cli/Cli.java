package dev.finwait.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code analyze} in-process and keeps what it printed. */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Effective uid 0 (live capture needs root or CAP_NET_RAW); Linux only, false when unknown. */
    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return false;
    }

    static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** AF_PACKET sockets open on this host (/proc/net/packet), or -1 when unknown. */
    static int packetSockets() {
        try {
            return Files.readAllLines(Path.of("/proc/net/packet")).size() - 1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Waits (at most 20 s) until a capture started in the background has opened its packet socket,
     * then 300 ms for the filter: a fixed sleep misses the first SYN on a slow or loaded machine,
     * where loading libpcap through JNA alone can take over a second.
     */
    static void awaitCapturing(int socketsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        if (socketsBefore < 0) {
            Thread.sleep(3000);
            return;
        }
        while (packetSockets() <= socketsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
    }
}
