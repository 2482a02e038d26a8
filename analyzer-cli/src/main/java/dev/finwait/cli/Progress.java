package dev.finwait.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr for big files read from a terminal: bytes, frames/s and ETA,
 * redrawn at most five times a second; erased when done.
 */
final class Progress {
    static final long THRESHOLD_BYTES = 50L * 1024 * 1024;
    private final PrintStream err;
    private final long total;
    private final long start = System.nanoTime();
    /** nanoTime has an arbitrary origin (it may be negative): the first update always draws. */
    private long lastDraw = start - 1_000_000_000L;
    private boolean drawn;

    Progress(PrintStream err, long totalBytes) {
        this.err = err;
        this.total = totalBytes;
    }

    void update(long offset, long frames) {
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double fraction = total > 0 ? Math.min(1.0, (double) offset / total) : 0;
        int bar = (int) (fraction * 30);
        long eta = fraction > 0 ? (long) (elapsed / fraction - elapsed) : 0;
        err.printf("\r[%s%s] %3d%% %,d MB  %,.0f frames/s  ETA %ds ", "=".repeat(bar), " ".repeat(30 - bar),
                (int) (fraction * 100), offset >> 20, frames / Math.max(elapsed, 1e-3), eta);
        err.flush();
        drawn = true;
    }

    void done() {
        if (drawn) {
            err.print("\r" + " ".repeat(79) + "\r");
            err.flush();
        }
    }
}
