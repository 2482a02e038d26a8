package dev.finwait.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for big files, drawn only when stderr is a terminal: bytes,
 * frames/s and ETA, redrawn at most five times a second, never wider than the terminal; erased when
 * done, and before report bytes reach the same terminal ({@link LineGate}), so the two never mix.
 * Called from the reading thread and the report thread: its methods hold its lock.
 */
final class Progress {
    static final long THRESHOLD_BYTES = 50L * 1024 * 1024;
    private final PrintStream err;
    private final long total;
    private final int columns;
    /** System.nanoTime, or a test's clock: whether a redraw is due must not depend on the machine's speed. */
    private final LongSupplier clock;
    private final long start;
    /** nanoTime has an arbitrary origin (it may be negative): the first update always draws. */
    private long lastDraw;
    /** Characters of the line on screen now; 0 when none is. */
    private int shown;

    Progress(PrintStream err, long totalBytes, int columns) {
        this(err, totalBytes, columns, System::nanoTime);
    }

    Progress(PrintStream err, long totalBytes, int columns, LongSupplier clock) {
        this.err = err;
        this.total = totalBytes;
        this.columns = columns;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - 1_000_000_000L;
    }

    synchronized void update(long offset, long frames) {
        long now = clock.getAsLong();
        if (now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double fraction = total > 0 ? Math.min(1.0, (double) offset / total) : 0;
        int bar = (int) (fraction * 30);
        long eta = fraction > 0 ? (long) (elapsed / fraction - elapsed) : 0;
        String line = String.format("[%s%s] %3d%% %,d MB  %,.0f frames/s  ETA %ds", "=".repeat(bar), " ".repeat(30 - bar),
                (int) (fraction * 100), offset >> 20, frames / Math.max(elapsed, 1e-3), eta);
        // One column short of the width: a full row would wrap on some terminals, and \r would then
        // go back to the start of the second row only.
        if (line.length() > columns - 1) {
            line = line.substring(0, Math.max(0, columns - 1));
        }
        err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length()))); // covers a longer last line
        err.flush();
        shown = Math.max(shown, line.length());
    }

    /** Clears the line if one is shown (the next update draws it again). */
    synchronized void erase() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    void done() {
        erase();
    }
}
