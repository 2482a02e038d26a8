package dev.finwait.bench;

import dev.finwait.AnalysisResult;
import dev.finwait.Analyzer;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.decode.DecodeResult;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.tcp.Segment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the three stages of the per-packet path, each alone, on the same generated traffic (seed 1,
 * 100,000 packets, the generator's mix of closes). Scores are nanoseconds per packet.
 *
 * <pre>
 * mvn -B -q -pl analyzer-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp analyzer-core/target/test-classes:analyzer-core/target/classes:$(cat /tmp/cp.txt) \
 *     org.openjdk.jmh.Main HotPathBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2) // the state machine needs about four 2 s iterations to be compiled
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBench {
    static final int PACKETS = 100_000;

    private byte[] pcap;
    private List<Frame> frames;
    private List<Segment> segments;

    @Setup
    public void generate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        CaptureGenerator.write(out, PACKETS, Long.MAX_VALUE, 1, CaptureGenerator.DEFAULT_RATE, CaptureGenerator.ETHERNET_MSS);
        pcap = out.toByteArray();
        frames = new ArrayList<>(PACKETS);
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(pcap), "bench")) {
            for (Frame f = s.next(); f != null; f = s.next()) {
                frames.add(f.copy()); // the reader reuses its buffer
            }
        }
        Decoder decoder = new Decoder(false);
        segments = new ArrayList<>(PACKETS);
        for (Frame f : frames) {
            if (decoder.decode(f) instanceof DecodeResult.Decoded d) {
                segments.add(d.segment());
            }
        }
        // The generator finishes the connections it has open, so a few more than PACKETS (0.01 %).
        if (frames.size() < PACKETS || frames.size() > PACKETS + 100 || segments.size() != frames.size()) {
            throw new IllegalStateException(frames.size() + " frames, " + segments.size() + " segments");
        }
    }

    /** Reading pcap records from memory: frame headers, timestamps, one reused buffer. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long readFrames() throws IOException {
        long bytes = 0;
        try (FrameSource s = CaptureReaders.open(new ByteArrayInputStream(pcap), "bench")) {
            for (Frame f = s.next(); f != null; f = s.next()) {
                bytes += f.capturedLength();
            }
        }
        return bytes;
    }

    /** Ethernet, IPv4/IPv6 and TCP headers into a Segment (checksums off, the default). */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long decode() {
        Decoder decoder = new Decoder(false);
        long seq = 0;
        for (Frame f : frames) {
            if (decoder.decode(f) instanceof DecodeResult.Decoded d) {
                seq += d.segment().seq();
            }
        }
        return seq;
    }

    /** Flow table and both sides' state machines per segment, reports built at the end, nothing written. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long stateMachine() {
        Analyzer analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false), AnalysisListener.NONE);
        for (Segment s : segments) {
            analyzer.accept(s);
        }
        AnalysisResult r = analyzer.finish();
        return r.summary().connections();
    }
}
