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
import java.util.concurrent.TimeUnit;
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
     * early if the command ends first (an error); fails after {@link #START_SECONDS} without either.
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

    /**
     * How long a capture may take to print its start line: a JVM start, loading libpcap and opening the
     * socket take about a second alone; a loaded two-core machine can take many times that.
     */
    static final int START_SECONDS = 60;

    /**
     * Waits until {@code err} holds the start line of a live capture, or {@code ended}; fails (with what
     * was printed so far) after {@link #START_SECONDS}: a test must not go on to send packets that a
     * capture which has not started yet would miss.
     */
    static void awaitStartLine(Supplier<String> err, BooleanSupplier ended) throws InterruptedException {
        await(START_SECONDS, () -> err.get().contains("listening on ") || ended.getAsBoolean(),
                () -> "no start line ('listening on ...') within " + START_SECONDS + " s; stderr so far: " + err.get());
    }

    /** Waits (polling every 10 ms) until {@code condition} holds; fails with {@code what} after {@code seconds}. */
    static void await(int seconds, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what.get());
            }
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

    /**
     * SIGINT is ignored in this JVM: it was started as a background job of a non-interactive shell (a CI
     * runner, a script's {@code &}), which ignores SIGINT, and every child inherits that. {@code analyze}
     * keeps a signal that was ignored at its start ignored (as nohup wants), so a test's {@code kill -INT}
     * would not stop it; {@link LiveFaultsCliTest.Child} then restores the default for the child, as an
     * interactive shell would have it.
     */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0; // SIGINT is 2
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
