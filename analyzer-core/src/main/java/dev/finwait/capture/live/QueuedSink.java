package dev.finwait.capture.live;

import dev.finwait.capture.Frame;
import dev.finwait.pipeline.ConsumerThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs another sink on a thread of its own, so that the capture thread only takes packets out of
 * libpcap while the analysis runs beside it: a slow stretch of analysis no longer stops the reading.
 * Frames go over in batches, in order: at the end of each libpcap read when the analysis is waiting
 * for work, so events still show as they happen; while it is busy, once a batch is full (or at a quiet
 * wire's tick), so that the bounded queue holds full batches, not a few frames each. If the analysis
 * falls behind, the capture thread waits and the kernel's ring takes the excess (libpcap counts what
 * it drops).
 *
 * <p>{@link #close()} waits until the delegate has seen everything. If the delegate throws, the
 * {@code onFailure} action runs (e.g. stop the capture), later frames are dropped, and {@code close()}
 * rethrows: nothing is thrown into libpcap's callback.
 */
public final class QueuedSink implements LiveSink, AutoCloseable {
    private static final int BATCH = 512;
    private static final int IN_FLIGHT = 64;

    /** Frames, or (frames null) a quiet-wire tick. */
    private record Item(List<Frame> frames, long idleNanos) {
    }

    /** A batch held back at a read end while the analysis was busy; {@code after}: items handed over before it. */
    private record Parked(List<Frame> frames, long after) {
    }

    private final ConsumerThread<Item> analysis;
    private List<Frame> batch = new ArrayList<>(BATCH);
    // The capture thread's: items handed over (a parked batch the analysis took counts), and whether the
    // batch is parked.
    private long handedOver;
    private boolean batchParked;
    /**
     * The batch held back at the last read end, where the analysis takes it once it has done every item
     * handed over before it: with immediate mode (blocking reads, no ticks) on a quiet wire the capture
     * thread may not come back before the next packet, and the tail of a burst waited for it.
     */
    private final AtomicReference<Parked> parked = new AtomicReference<>();
    private long done; // the analysis thread's: items it has done, parked batches included

    /** Starts the thread that runs {@code delegate}; {@code onFailure} runs (on that thread) if the delegate throws. */
    public QueuedSink(LiveSink delegate, String threadName, Runnable onFailure) {
        this.analysis = new ConsumerThread<>(threadName, IN_FLIGHT, item -> {
            if (item.frames() == null) {
                delegate.onIdle(item.idleNanos());
            } else {
                analyze(delegate, item.frames());
            }
            done++;
            Parked p = parked.get();
            if (p != null && p.after() == done && parked.compareAndSet(p, null)) {
                analyze(delegate, p.frames()); // every item before it is done: in order
                done++;
            }
        }, onFailure);
    }

    private static void analyze(LiveSink delegate, List<Frame> frames) {
        for (Frame f : frames) {
            delegate.onFrame(f);
        }
        delegate.onReadEnd(); // the batch is done: e.g. flush what it wrote
    }

    @Override
    public void onFrame(Frame frame) {
        if (analysis.failure() != null) {
            return; // the capture is being stopped
        }
        unpark();
        batch.add(frame);
        if (batch.size() == BATCH) {
            handOver();
        }
    }

    /**
     * Hands the batch over if the analysis waits for work. With batch reads (at most 63 frames a read at
     * the default snapshot length) a hand-over at every read end would fill the queue's 64 places with
     * a few frames each while the analysis is busy, and stop the capture thread with a fraction of the
     * 32,768 frames the queue may hold.
     */
    @Override
    public void onReadEnd() {
        unpark();
        if (analysis.waiting() == 0) {
            handOver();
        } else if (!batch.isEmpty()) {
            parked.set(new Parked(batch, handedOver));
            batchParked = true;
            if (analysis.waiting() == 0) {
                // the analysis may have looked for a parked batch before this one was: hand it over
                handOver();
            }
        }
    }

    /** Takes the parked batch back to fill it on, or starts a new one if the analysis took it. */
    private void unpark() {
        if (batchParked) {
            batchParked = false;
            if (parked.getAndSet(null) == null) {
                handedOver++;
                batch = new ArrayList<>(BATCH);
            }
        }
    }

    @Override
    public void onIdle(long nowNanos) {
        handOver();
        analysis.submit(new Item(null, nowNanos));
        handedOver++;
    }

    private void handOver() {
        unpark();
        if (!batch.isEmpty()) {
            analysis.submit(new Item(batch, 0));
            handedOver++;
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Hands over what is left, waits for the delegate to finish it, and rethrows its failure if any. */
    @Override
    public void close() {
        handOver();
        analysis.close();
    }
}
