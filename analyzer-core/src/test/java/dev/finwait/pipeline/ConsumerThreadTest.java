package dev.finwait.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConsumerThreadTest {

    @Test
    void itemsArriveInOrderAndCloseWaitsForThem() {
        List<Integer> seen = new ArrayList<>(); // written by the consumer only, read after close()
        ConsumerThread<Integer> t = new ConsumerThread<>("test-consumer", 4, seen::add, () -> { });
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(t.submit(i));
            sent.add(i);
        }
        t.close();
        assertEquals(sent, seen);
        t.close(); // twice is harmless
    }

    @Test
    void aFailingConsumerRunsOnFailureOnceRefusesItemsAndCloseRethrows() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        ConsumerThread<Integer> t = new ConsumerThread<>("test-consumer", 2, i -> {
            if (i == 5) {
                throw boom;
            }
        }, () -> {
            failures.incrementAndGet();
            failed.countDown();
        });
        for (int i = 0; i <= 5; i++) {
            t.submit(i);
        }
        assertTrue(failed.await(60, TimeUnit.SECONDS)); // at once; a loaded machine may be slow to run the consumer
        assertFalse(t.submit(6));
        assertSame(boom, t.failure());
        assertSame(boom, assertThrows(IllegalStateException.class, t::close));
        assertEquals(1, failures.get());
    }

    @Test
    @Timeout(10)
    void anInterruptedProducerDoesNotHangInClose() {
        CountDownLatch release = new CountDownLatch(1);
        ConsumerThread<Integer> t = new ConsumerThread<>("test-consumer", 1, i -> {
            try {
                release.await(); // a slow consumer: the queue stays full
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> { });
        t.submit(1);
        t.submit(2);
        Thread.currentThread().interrupt();
        assertFalse(t.submit(3));
        try {
            t.close(); // returns (the consumer is stopped), or says it was interrupted: it does not wait
        } catch (IllegalStateException interrupted) {
            assertTrue(interrupted.getMessage().contains("interrupted"), interrupted.getMessage());
        } finally {
            Thread.interrupted(); // clear the flag for the next test
            release.countDown();
        }
    }
}
