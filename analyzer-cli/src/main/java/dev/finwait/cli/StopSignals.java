package dev.finwait.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM during a live capture. The first one is a requested stop, like {@code --duration}:
 * it stops the capture, and the command then analyzes what was taken, prints the whole report and exits 0,
 * as tcpdump and tshark do. A second one aborts at once, says so on stderr, and exits 128 + the signal.
 *
 * <p>The JVM's own handlers would start the shutdown sequence instead: the exit code is then 130 / 143
 * whatever the report, and the report races the JVM's exit. A signal ignored when the JVM started (a
 * background job of a non-interactive shell, nohup) stays ignored, as the JVM does too.
 */
final class StopSignals implements AutoCloseable {
    private final Runnable stop;
    private final PrintStream err;
    private final AtomicReference<String> requested = new AtomicReference<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    StopSignals(Runnable stop, PrintStream err) {
        this.stop = stop;
        this.err = err;
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, this::received));
            } catch (IllegalArgumentException reserved) {
                // -Xrs or a VM that keeps it: the shutdown hook still stops the capture
            }
        }
    }

    /** The name of the signal that stopped the capture ("INT", "TERM"), or null. */
    String requested() {
        return requested.get();
    }

    private void received(Signal signal) {
        if (requested.compareAndSet(null, signal.getName())) {
            stop.run();
            return;
        }
        err.println("analyze: second SIG" + signal.getName() + " while finishing the report: stopped at once, "
                + "the report is incomplete");
        err.flush();
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }

    /** Gives the signals back to the handlers they had (the JVM's). */
    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                // as at start
            }
        });
    }
}
