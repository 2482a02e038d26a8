package dev.finwait.report.format;

import dev.finwait.pipeline.ConsumerThread;
import dev.finwait.report.CaptureSummary;
import dev.finwait.report.ConnectionReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs another writer on a thread of its own, so formatting and writing overlap the analysis. Reports
 * are immutable and handed over in batches, in order; the output is byte for byte the delegate's. An
 * exception of the delegate (a closed pipe) comes back on the next call here. Not for writers that want
 * events: those would have to be interleaved with the reports.
 */
public final class BackgroundWriter implements ReportWriter {
    private static final int BATCH = 256;
    private static final int IN_FLIGHT = 16;

    private final ReportWriter delegate;
    private final ConsumerThread<List<ConnectionReport>> writer;
    private List<ConnectionReport> batch = new ArrayList<>(BATCH);

    public BackgroundWriter(ReportWriter delegate) {
        if (delegate.wantsEvents()) {
            throw new IllegalArgumentException(delegate.getClass().getSimpleName() + " wants events; run it in place");
        }
        this.delegate = delegate;
        this.writer = new ConsumerThread<>("finwait-write", IN_FLIGHT, reports -> {
            for (ConnectionReport r : reports) {
                delegate.connection(r);
            }
        }, () -> { });
    }

    @Override
    public void connection(ConnectionReport report) {
        batch.add(report);
        if (batch.size() == BATCH) {
            send();
        }
    }

    /** Waits for every report to be written, then writes the totals on this thread. */
    @Override
    public void end(CaptureSummary summary) {
        if (!batch.isEmpty()) {
            send();
        }
        writer.close(); // rethrows the delegate's exception, if any
        delegate.end(summary);
    }

    private void send() {
        if (!writer.submit(batch)) {
            writer.close(); // the delegate failed: this throws its exception
        }
        batch = new ArrayList<>(BATCH);
    }
}
