package dev.finwait.pipeline;

import dev.finwait.capture.FrameSource;
import dev.finwait.capture.FrameVisitor;
import dev.finwait.capture.ReadProgress;
import dev.finwait.flow.FlowTable;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and decodes frames on a thread of its own, a few batches ahead of the analysis. Segments are
 * immutable, so they cross threads as they are; batches are recycled, so the hand-over allocates nothing.
 * The order of segments, the decode counters and the place of a reader error are those of a
 * single-threaded read.
 */
public final class DecodeAhead {
    /** Progress is reported every 4096 frames. */
    public static final int PROGRESS_MASK = 0xFFF;
    private static final int BATCH = 1024;
    private static final int IN_FLIGHT = 8;

    private final FrameSource source;
    private final SegmentStage stage;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(IN_FLIGHT);
    // The reader thread's own state while it fills a batch (written by its visitor).
    private Batch filling;
    private long framesRead;
    private long lastFileOffset;

    private static final class Batch {
        final Segment[] segments = new Segment[BATCH];
        final int[] capturedPayload = new int[BATCH];
        int size;
        long frames;     // frames read when the batch was handed over
        long fileOffset; // of the last frame read
        boolean last;
        Throwable error; // what ended the reading early, on the last batch
    }

    /** Will decode {@code source} on a thread of its own; {@link #feed} hands the segments to {@code stage} on the calling thread. */
    public DecodeAhead(FrameSource source, SegmentStage stage) {
        this.source = source;
        this.stage = stage;
        for (int i = 0; i < IN_FLIGHT; i++) {
            empty.add(new Batch());
        }
    }

    /** Runs the reader thread and feeds its segments to the analyzer on the calling thread. */
    public void feed(ReadProgress progress) throws IOException {
        Thread reader = new Thread(this::read, "finwait-decode");
        reader.setDaemon(true); // a reader stuck in a blocking read must not keep the JVM alive
        reader.start();
        boolean ended = false;
        try {
            long reported = 0;
            while (true) {
                Batch b = full.take();
                for (int i = 0; i < b.size; i++) {
                    if (i % FlowTable.WARM_GROUP == 0) {
                        stage.warm(b.segments, i, Math.min(i + FlowTable.WARM_GROUP, b.size));
                    }
                    stage.analyze(b.segments[i], b.capturedPayload[i]);
                    b.segments[i] = null;
                }
                stage.framesRead(b.frames);
                if (b.frames - reported > PROGRESS_MASK) {
                    reported = b.frames;
                    progress.at(b.fileOffset, b.frames);
                }
                if (b.last) {
                    ended = true;
                    rethrow(b.error);
                    return;
                }
                b.size = 0;
                empty.add(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + source.name(), e);
        } finally {
            if (!ended) {
                // The analysis failed (e.g. the output went away): stop the reader before the source is closed.
                reader.interrupt();
                try {
                    reader.join(TimeUnit.SECONDS.toMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Decodes one frame into the batch being filled (a {@link FrameVisitor}: the reader builds no Frame for it). */
    private void decodeInto(long number, long time, int link, byte[] data, int offset, int caplen, int origlen,
                            long fileOffset) {
        framesRead++;
        lastFileOffset = fileOffset;
        Segment s = stage.decode(number, time, link, data, offset, caplen, origlen);
        if (s != null) {
            Batch b = filling;
            b.segments[b.size] = s;
            b.capturedPayload[b.size++] = SegmentStage.capturedPayload(caplen, origlen, s);
        }
    }

    private void read() {
        try {
            filling = empty.take();
        } catch (InterruptedException e) {
            return;
        }
        FrameVisitor visitor = this::decodeInto;
        try {
            while (source.next(visitor)) {
                // Hand over when the batch is full, and now and then for a capture with few TCP frames.
                if (filling.size == BATCH || (framesRead & PROGRESS_MASK) == 0) {
                    filling.frames = framesRead;
                    filling.fileOffset = lastFileOffset;
                    full.put(filling);
                    filling = empty.take();
                }
            }
        } catch (InterruptedException e) {
            return; // the analysis gave up; nobody reads any more
        } catch (Throwable t) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            filling.error = t;
        }
        filling.frames = framesRead;
        filling.last = true;
        try {
            full.put(filling);
        } catch (InterruptedException e) {
            // nobody reads any more
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UncheckedIOException(new IOException(t));
    }
}
