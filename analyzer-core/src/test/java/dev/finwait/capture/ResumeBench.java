package dev.finwait.capture;

import dev.finwait.bench.BenchArgs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What resuming costs: {@code ResumeBench FILE [FRACTION]} reads FRACTION (default 0.5) of the frames,
 * takes the checkpoint, then times {@link CaptureReaders#resume} plus the first frame after it (a plain
 * file seeks; gzip inflates again up to the offset), and the whole rest, against an uninterrupted read.
 */
public final class ResumeBench {
    private ResumeBench() {
    }

    public static void main(String[] args) throws IOException {
        BenchArgs cli = BenchArgs.parse(args, "ResumeBench FILE [FRACTION]");
        Path file = cli.file();
        double fraction = cli.doubleAt(1, 0.5);
        long start = System.nanoTime();
        long total = 0;
        try (FrameSource s = CaptureReaders.open(file)) {
            while (s.next() != null) {
                total++;
            }
        }
        double whole = (System.nanoTime() - start) / 1e9;
        long k = (long) (total * fraction);
        ReaderCheckpoint at;
        try (FrameSource s = CaptureReaders.open(file)) {
            for (long i = 0; i < k; i++) {
                s.next();
            }
            at = s.checkpoint();
        }
        start = System.nanoTime();
        long rest = 0;
        double first;
        try (FrameSource s = CaptureReaders.resume(file, ReaderCheckpoint.fromBytes(at.toBytes()))) {
            Frame f = s.next();
            first = (System.nanoTime() - start) / 1e9;
            if (f == null || f.number() != k + 1) {
                throw new IllegalStateException("resumed at frame " + (f == null ? "none" : f.number()) + ", not " + (k + 1));
            }
            for (rest = 1; s.next() != null; rest++) {
                continue;
            }
        }
        double resumed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %,d frames read whole in %.2f s; checkpoint after %,d (offset %,d, %d bytes): "
                + "first frame %.3f s after resume, the other %,d in %.2f s%n", file, total, whole, k, at.offset(),
                at.toBytes().length, first, rest, resumed);
    }
}
