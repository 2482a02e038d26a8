package dev.finwait.capture;

import dev.finwait.bench.BenchArgs;
import dev.finwait.decode.DecodeResult;
import dev.finwait.decode.Decoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read + decode throughput on one thread: {@code ReadBench FILE [TIMES] [--verify]}. The first pass warms up
 * the JIT and is not counted; prints frames/s and MB/s (of file bytes) for the remaining passes.
 */
public final class ReadBench {
    /** Published so the decoded values are observable. */
    static volatile long sink;

    private ReadBench() {
    }

    public static void main(String[] args) throws IOException {
        BenchArgs cli = BenchArgs.parse(args, "ReadBench FILE [TIMES] [--verify]");
        Path file = cli.file();
        int times = cli.intAt(1, 5);
        boolean verify = cli.flag("--verify");
        long bytes = Files.size(file);
        pass(file, verify);
        for (int i = 1; i <= times; i++) {
            long allocated = allocatedBytes();
            long start = System.nanoTime();
            long[] counts = pass(file, verify);
            double seconds = (System.nanoTime() - start) / 1e9;
            double perFrame = (allocatedBytes() - allocated) / (double) counts[0];
            System.out.printf("pass %d: %,d frames (%,d tcp) in %.3f s: %,.0f frames/s, %,.1f MB/s, %.0f bytes allocated/frame%n",
                    i, counts[0], counts[1], seconds, counts[0] / seconds, bytes / seconds / 1e6, perFrame);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    /** Frames read and TCP segments decoded. */
    private static long[] pass(Path file, boolean verify) throws IOException {
        Decoder decoder = new Decoder(verify);
        long frames = 0;
        long tcp = 0;
        long sink = 0;
        try (FrameSource source = CaptureReaders.open(file)) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                frames++;
                if (decoder.decode(f) instanceof DecodeResult.Decoded d) {
                    tcp++;
                    // Use the fields, so the JIT cannot drop the segment as dead code.
                    sink += d.segment().seq() + d.segment().src().port() + d.segment().dst().ip().hashCode()
                            + d.segment().payloadLength();
                }
            }
        }
        ReadBench.sink = sink;
        return new long[] {frames, tcp};
    }
}
