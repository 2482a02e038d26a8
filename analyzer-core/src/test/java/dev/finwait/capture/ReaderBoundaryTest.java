package dev.finwait.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.finwait.capture.BoundaryCaptures.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 17: the readers hold wherever a record meets the end of their buffer. The buffer starts at
 * every size from 16 bytes to the whole capture, so the buffer's end falls on every byte offset in
 * turn while a record is being read (every third offset through gzip); the test checks that it did
 * (each compaction reports where the buffer ended) and that every run gives exactly the frames the
 * capture was built with. Some runs read through a stream that hands out 1 to 7 bytes a call.
 */
class ReaderBoundaryTest {
    private static final int SMALLEST = 16;

    static List<Sample> samples() {
        Sample pcap = BoundaryCaptures.pcap(false, false, 40);
        Sample ng = BoundaryCaptures.pcapng(16);
        return List.of(pcap, BoundaryCaptures.pcap(true, true, 40), ng, ng.gzipped(), pcap.gzipped());
    }

    @TestFactory
    Stream<DynamicTest> theBufferEndingAtEveryOffsetChangesNoFrame() {
        // gzip: every third size (an inflater per run is slow); the reader behind it is the same
        return samples().stream().filter(s -> !s.name().equals("pcap-le-us.gz")).map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            boolean gzip = s.name().endsWith(".gz");
            int stride = gzip ? 3 : 1;
            assertFrames(s, read(s.bytes(), StreamInput.INITIAL, Integer.MAX_VALUE, null), "the default buffer");
            int end = (int) lastByte(s);
            BitSet tried = new BitSet();
            BitSet boundaries = new BitSet();
            LongConsumer seen = at -> boundaries.set((int) Math.min(at, Integer.MAX_VALUE));
            for (int size = SMALLEST; size < end; size += stride) {
                // a trickling stream on some sizes: it changes how full the buffer is, not where it ends
                int chunk = size % (gzip ? 60 : 20) == 0 ? 1 + size % 7 : Integer.MAX_VALUE;
                assertFrames(s, read(s.bytes(), size, chunk, seen), "a " + size + "-byte buffer, reads of " + chunk);
                tried.set(size);
            }
            tried.andNot(boundaries);
            assertTrue(tried.isEmpty(), "buffer sizes whose end no record crossed: " + tried);
        }));
    }

    @TestFactory
    Stream<DynamicTest> aStreamGivingOneToSixteenBytesAtATimeChangesNoFrame() {
        return samples().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            for (int chunk = 1; chunk <= 16; chunk++) {
                assertFrames(s, read(s.bytes(), StreamInput.INITIAL, chunk, null), "reads of " + chunk);
                assertFrames(s, read(s.bytes(), 64 + chunk, chunk, null), "reads of " + chunk + ", a small buffer");
            }
        }));
    }

    /** The offset just past the last frame's record: the end of what the reader must buffer. */
    private static long lastByte(Sample s) {
        Frame last = s.frames().get(s.frames().size() - 1);
        return last.fileOffset() + last.capturedLength();
    }

    private static void assertFrames(Sample s, List<Frame> actual, String how) {
        int n = Math.min(actual.size(), s.frames().size());
        for (int i = 0; i < n; i++) {
            if (!BoundaryCaptures.same(s.frames().get(i), actual.get(i))) {
                assertEquals(BoundaryCaptures.describe(s.frames().get(i)), BoundaryCaptures.describe(actual.get(i)),
                        s.name() + ", " + how + ": frame " + (i + 1));
            }
        }
        assertEquals(s.frames().size(), actual.size(), s.name() + ", " + how + ": frames");
    }

    static List<Frame> read(byte[] bytes, int bufferSize, int chunk, LongConsumer onCompact) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (FrameSource source = CaptureReaders.open(new Trickle(bytes, chunk), "test", bufferSize, onCompact)) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames.add(f.copy());
            }
        } catch (CaptureFormatException e) {
            fail("after " + frames.size() + " frames, with a " + bufferSize + "-byte buffer: " + e.getMessage(), e);
        }
        return frames;
    }

    /** A stream that gives at most {@code chunk} bytes a call, as a pipe or a slow disk may. */
    static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            this.in = new ByteArrayInputStream(bytes);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, chunk));
        }
    }
}
