package dev.finwait.pipeline;

import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import java.util.ArrayList;
import java.util.List;

/**
 * The third stage: hands finished connections to another sink (the verdict, the report, the listener)
 * on a thread of its own, in the order they finished, while the analysis thread goes on with the next
 * packets. With the CLI's listener that thread also selects and writes the report. A finished
 * connection is never touched by the analysis again, so it may be judged there.
 */
public final class ReportBehind implements Flow.FinishedSink {
    private static final int BATCH = 256;
    private static final int IN_FLIGHT = 16;

    private final ConsumerThread<List<FinishedConnection>> thread;
    private List<FinishedConnection> batch = new ArrayList<>(BATCH);

    /** Starts the thread that hands finished connections to {@code judge}. */
    public ReportBehind(Flow.FinishedSink judge) {
        this.thread = new ConsumerThread<>("finwait-report", IN_FLIGHT, done -> {
            for (FinishedConnection c : done) {
                judge.finished(c);
            }
        }, () -> { });
    }

    @Override
    public void finished(FinishedConnection c) {
        batch.add(c);
        if (batch.size() == BATCH) {
            send();
        }
    }

    /**
     * Waits until every finished connection has been reported; rethrows the listener's exception. An
     * interrupt of the calling thread does not cut this short (no report is lost); it is set again on return.
     */
    public void close() {
        boolean interrupted = Thread.interrupted(); // set, the hand-over and the join would fail at once
        try {
            if (!batch.isEmpty()) {
                send();
            }
            thread.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send() {
        boolean interrupted = false;
        try {
            while (!thread.submit(batch)) {
                if (thread.failure() != null || !Thread.interrupted()) {
                    thread.close(); // the listener failed: this throws its exception here, on the analysis thread
                    break;
                }
                interrupted = true; // an interrupt drops no batch: handed over again, the interrupt kept
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        batch = new ArrayList<>(BATCH);
    }
}
