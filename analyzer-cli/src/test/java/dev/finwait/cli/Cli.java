package dev.finwait.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

    /**
     * Starts {@code analyze} in the background and returns once it has printed its start line
     * ("listening on ..."), which it does after libpcap has opened, bound and filtered its socket and
     * after its signal handlers are installed: the first packet sent afterwards is captured. Returns
     * early if the command ends first (an error); waits at most 20 s.
     */
    static Future<Result> startLive(ExecutorService pool, String... args) throws InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream(); // synchronized: read while written
        Future<Result> result = pool.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Main.run(args, o, e);
            }
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
        awaitStartLine(() -> err.toString(StandardCharsets.UTF_8), result::isDone);
        return result;
    }

    /** Waits (at most 20 s) until {@code err} holds the start line of a live capture, or {@code ended}. */
    static void awaitStartLine(Supplier<String> err, BooleanSupplier ended) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!err.get().contains("listening on ") && !ended.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
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
}
