package dev.finwait.report.format;

import dev.finwait.report.CaptureSummary;
import dev.finwait.report.ConnectionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs another writer on a thread of its own, so formatting and writing overlap the analysis. Reports
 * are immutable and handed over in batches, in order; the output is byte for byte the delegate's. An
 * exception of the delegate (a closed pipe) comes back on the next call here. Not for writers that want
 * events: those would have to be interleaved with the reports.
 */
public final class BackgroundWriter implements ReportWriter {
    private static final int BATCH = 256;
    private static final int IN_FLIGHT = 16;
    /** A batch with no reports: the caller has sent everything. */
    private static final List<ConnectionReport> END = List.of();

    private final ReportWriter delegate;
    private final BlockingQueue<List<ConnectionReport>> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final Thread thread;
    private List<ConnectionReport> batch = new ArrayList<>(BATCH);
    private volatile RuntimeException failure;

    public BackgroundWriter(ReportWriter delegate) {
        if (delegate.wantsEvents()) {
            throw new IllegalArgumentException(delegate.getClass().getSimpleName() + " wants events; run it in place");
        }
        this.delegate = delegate;
        this.thread = new Thread(this::run, "finwait-write");
        thread.setDaemon(true); // never keeps the JVM alive; end() waits for it
        thread.start();
    }

    @Override
    public void connection(ConnectionReport report) {
        batch.add(report);
        if (batch.size() == BATCH) {
            send(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Waits for every report to be written, then writes the totals on this thread. */
    @Override
    public void end(CaptureSummary summary) {
        if (!batch.isEmpty()) {
            send(batch);
            batch = new ArrayList<>(BATCH);
        }
        send(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the report was written", e);
        }
        throwIfFailed();
        delegate.end(summary);
    }

    private void send(List<ConnectionReport> reports) {
        throwIfFailed();
        try {
            // The writer thread may die with a full queue: wait in slices and look at it in between.
            while (!queue.offer(reports, 50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throwIfFailed();
                if (!thread.isAlive()) {
                    throw new IllegalStateException("the report writer thread ended early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the report was written", e);
        }
    }

    private void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void run() {
        try {
            while (true) {
                List<ConnectionReport> reports = queue.take();
                if (reports == END) {
                    return;
                }
                for (ConnectionReport r : reports) {
                    delegate.connection(r);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("report writer failed: " + e, e);
        }
    }
}
