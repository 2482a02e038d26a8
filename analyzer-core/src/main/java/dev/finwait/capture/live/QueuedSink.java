package dev.finwait.capture.live;

import dev.finwait.capture.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs another sink on a thread of its own, so that the capture thread only takes packets out of
 * libpcap (each one a JNA callback and a copy) while the analysis runs beside it: a collector pause
 * in the analysis no longer stops the reading. Frames go over in batches, in order, at the latest at
 * the end of each libpcap read, so events still show as they happen. The queue is bounded: if the
 * analysis falls behind, the capture thread waits and the kernel's ring takes the excess (libpcap
 * counts what it drops).
 *
 * <p>{@link #close()} waits until the delegate has seen everything. If the delegate throws, the
 * {@code onFailure} action runs (e.g. stop the capture), later frames are dropped, and {@code close()}
 * rethrows: nothing is thrown into libpcap's callback.
 */
public final class QueuedSink implements LiveSink, AutoCloseable {
    private static final int BATCH = 512;
    private static final int IN_FLIGHT = 64;

    /** Frames, or a quiet-wire tick, or the end. */
    private record Item(List<Frame> frames, long idleNanos, boolean end) {
    }

    private final LiveSink delegate;
    private final Runnable onFailure;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final Thread thread;
    private List<Frame> batch = new ArrayList<>(BATCH);
    private volatile RuntimeException failure;
    private boolean closed;

    public QueuedSink(LiveSink delegate, String threadName, Runnable onFailure) {
        this.delegate = delegate;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true); // close() waits for it; it never keeps the JVM alive by itself
        thread.start();
    }

    @Override
    public void onFrame(Frame frame) {
        if (failure != null) {
            return; // the capture is being stopped
        }
        batch.add(frame);
        if (batch.size() == BATCH) {
            onReadEnd();
        }
    }

    @Override
    public void onReadEnd() {
        if (!batch.isEmpty()) {
            send(new Item(batch, 0, false));
            batch = new ArrayList<>(BATCH);
        }
    }

    @Override
    public void onIdle(long nowNanos) {
        onReadEnd();
        send(new Item(null, nowNanos, false));
    }

    /** Hands over what is left, waits for the delegate to finish it, and rethrows its failure if any. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onReadEnd();
        send(new Item(null, 0, true));
        if (failure != null) {
            thread.interrupt();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throwIfFailed();
    }

    private void send(Item item) {
        try {
            // The delegate's thread may die with a full queue: wait in slices and look at it in between.
            while (failure == null && !queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                // the analysis is behind: wait (the kernel's ring holds the packets meanwhile)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                Item item = queue.take();
                if (item.end()) {
                    return;
                }
                if (item.frames() == null) {
                    delegate.onIdle(item.idleNanos());
                    continue;
                }
                for (Frame f : item.frames()) {
                    delegate.onFrame(f);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            onFailure.run();
        } catch (Error e) {
            failure = new IllegalStateException("the analysis thread failed: " + e, e);
            onFailure.run();
        }
    }
}
