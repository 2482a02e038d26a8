package dev.finwait.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A thread of its own that hands every item {@link #submit submitted} to a consumer, in order, through
 * a bounded queue: the second stage of a two-stage pipeline (the report writer behind the analysis,
 * the analysis behind a live capture). Items should be batches, so the hand-over cost is shared.
 *
 * <p>If the consumer throws, {@code onFailure} runs on this thread (e.g. stop the producer), later
 * items are refused, and {@link #close()} rethrows the consumer's exception. Never thrown into the
 * producer's {@link #submit}: a producer called back from native code (libpcap) must not see it.
 *
 * @param <T> the item (a batch); items are handed over as they are, so they must not change afterwards
 */
public final class ConsumerThread<T> implements AutoCloseable {
    /** Queued after the last item; never given to the consumer. */
    private static final Object END = new Object();

    private final Consumer<T> consumer;
    private final Runnable onFailure;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile RuntimeException failure;
    private boolean closed;

    /** Starts the thread {@code name}; at most {@code inFlight} items wait for it, then {@link #submit} waits. */
    public ConsumerThread(String name, int inFlight, Consumer<T> consumer, Runnable onFailure) {
        this.consumer = consumer;
        this.onFailure = onFailure;
        this.queue = new ArrayBlockingQueue<>(inFlight);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true); // close() waits for it; it never keeps the JVM alive by itself
        thread.start();
    }

    /**
     * Queues {@code item}, waiting while the queue is full. Returns false (and drops the item) once the
     * consumer has failed, or when this thread is interrupted.
     */
    public boolean submit(T item) {
        return put(item);
    }

    /** {@return how many items wait in the queue (not counting one the consumer is working on)} */
    public int waiting() {
        return queue.size();
    }

    /** The consumer's exception, or null. */
    public RuntimeException failure() {
        return failure;
    }

    /** Waits until the consumer has taken every item, then rethrows its exception if it threw one. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!put(END) || failure != null) {
                // Failed (it takes no more items) or we were interrupted (END is not queued): it must not wait.
                thread.interrupt();
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private boolean put(Object item) {
        try {
            // The consumer may fail while the queue is full: wait in slices and look at it in between.
            while (failure == null) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void run() {
        try {
            for (Object item = queue.take(); item != END; item = queue.take()) {
                consumer.accept((T) item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        } catch (Error e) {
            fail(new IllegalStateException(thread.getName() + " failed: " + e, e));
        }
    }

    private void fail(RuntimeException e) {
        failure = e;
        onFailure.run();
    }
}
