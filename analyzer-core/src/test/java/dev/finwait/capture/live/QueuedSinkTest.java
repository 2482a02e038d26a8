package dev.finwait.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The analysis thread behind a live capture sees every frame and tick in order, and its failure stops the capture. */
class QueuedSinkTest {

    private static Frame frame(long n) {
        return new Frame(n, n * 1000, 1, new byte[0], 0, 0, 0, -1);
    }

    @Test
    void framesAndTicksArriveInOrderAndCloseWaitsForThem() {
        List<String> seen = new ArrayList<>(); // only the sink's thread writes; read after close()
        QueuedSink sink = new QueuedSink(new LiveSink() {
            @Override
            public void onFrame(Frame f) {
                seen.add("f" + f.number());
            }

            @Override
            public void onIdle(long now) {
                seen.add("idle" + now);
            }
        }, "test-analyze", () -> { });
        List<String> expected = new ArrayList<>();
        long n = 0;
        for (int read = 0; read < 300; read++) {
            for (int i = 0; i < read % 1100; i++) { // reads smaller and larger than a batch
                sink.onFrame(frame(++n));
                expected.add("f" + n);
            }
            sink.onReadEnd();
            if (read % 37 == 0) {
                sink.onIdle(read);
                expected.add("idle" + read);
            }
        }
        sink.onFrame(frame(++n)); // not followed by onReadEnd: close() hands it over
        expected.add("f" + n);
        sink.close();
        assertEquals(expected, seen);
    }

    /** Small reads while the analysis is busy fill batches instead of the queue's places: the reading goes on. */
    @Test
    void smallReadsWhileTheAnalysisIsBusyDoNotStopTheReading() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        List<Long> seen = new ArrayList<>(); // only the sink's thread writes; read after close()
        QueuedSink sink = new QueuedSink(f -> {
            try {
                busy.await(); // the first frame holds the analysis until the reading is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(f.number());
        }, "test-analyze", () -> { });
        Thread reader = new Thread(() -> {
            long n = 0;
            for (int read = 0; read < 1000; read++) { // far more reads than the queue has places (64)
                for (int i = 0; i < 3; i++) {
                    sink.onFrame(frame(++n));
                }
                sink.onReadEnd();
            }
        }, "test-capture");
        reader.start();
        reader.join(60_000);
        boolean finished = !reader.isAlive();
        busy.countDown();
        reader.join(60_000);
        sink.close();
        assertTrue(finished, "the capture thread read on while the analysis was busy");
        assertEquals(3000, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1L, (long) seen.get(i));
        }
    }

    /**
     * The last read of a burst, held back because the analysis was busy, reaches it once it is idle
     * without another read: with immediate mode a quiet wire gives no tick and the next read waits for
     * the next packet, so the tail of the burst (a connection's last FIN) showed only at stop.
     */
    @Test
    void aReadHeldWhileTheAnalysisIsBusyReachesItWithoutAnotherRead() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        QueuedSink sink = new QueuedSink(f -> {
            if (f.number() == 1) {
                started.countDown();
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            seen.add(f.number());
        }, "test-analyze", () -> { });
        sink.onFrame(frame(1));
        sink.onReadEnd(); // the analysis waits: handed over, and it is busy with it
        assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
        sink.onFrame(frame(2));
        sink.onReadEnd(); // nothing queued: handed over
        sink.onFrame(frame(3));
        sink.onReadEnd(); // one item queued: held back
        busy.countDown();
        long until = System.nanoTime() + 10_000_000_000L;
        while (seen.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        List<Long> before = List.copyOf(seen);
        sink.close();
        assertEquals(List.of(1L, 2L, 3L), before, "frames the analysis saw before close()");
        assertEquals(List.of(1L, 2L, 3L), seen);
    }

    /** Reads held back and taken by either thread, at random moments: every frame once, in order. */
    @Test
    void heldReadsKeepTheOrderWhicheverThreadTakesThem() throws Exception {
        java.util.Random random = new java.util.Random(7);
        List<Long> seen = new ArrayList<>(); // only the sink's thread writes; read after close()
        QueuedSink sink = new QueuedSink(f -> {
            if (f.number() % 7 == 0) {
                Thread.yield();
            }
            seen.add(f.number());
        }, "test-analyze", () -> { });
        long n = 0;
        for (int read = 0; read < 5_000; read++) {
            int frames = random.nextInt(5);
            for (int i = 0; i < frames; i++) {
                sink.onFrame(frame(++n));
            }
            sink.onReadEnd();
            if (random.nextInt(20) == 0) {
                Thread.sleep(1); // a quiet moment: the analysis catches up and may take a held read
            }
        }
        sink.close();
        assertEquals(n, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1L, (long) seen.get(i));
        }
    }

    @Test
    void aFailingAnalysisStopsTheCaptureAndCloseRethrows() {
        IllegalStateException boom = new IllegalStateException("output went away");
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        QueuedSink sink = new QueuedSink(f -> {
            if (delivered.incrementAndGet() == 1000) {
                throw boom;
            }
        }, "test-analyze", stops::incrementAndGet);
        // Bounded: frames after the failure are dropped, nothing is thrown to the capture thread.
        for (int i = 1; i <= 200_000; i++) {
            sink.onFrame(frame(i));
        }
        assertSame(boom, assertThrows(IllegalStateException.class, sink::close));
        assertEquals(1, stops.get());
        assertTrue(delivered.get() >= 1000 && delivered.get() < 200_000, "delivered " + delivered.get());
    }
}
