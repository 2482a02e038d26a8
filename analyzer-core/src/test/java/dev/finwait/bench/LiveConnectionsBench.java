package dev.finwait.bench;

import dev.finwait.Analyzer;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;

import dev.finwait.event.AnalysisListener;
import dev.finwait.flow.FlowTable;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Segment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: decode and state machine per packet with many connections open at once (100,000 by default), not
 * a flow set that fits in the cache. Every connection is opened before the measured part; then 1,000,000
 * data and ACK packets go to connections picked at random ({@link LiveTraffic}), so nearly every packet
 * touches a connection the caches have forgotten. Each iteration is one timed pass over the million
 * packets (single shot: the packets cannot be fed twice to one table, their times and sequence numbers
 * would go back). Scores are nanoseconds per packet.
 *
 * <pre>
 * mvn -B -q -pl analyzer-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp analyzer-core/target/test-classes:analyzer-core/target/classes:$(cat /tmp/cp.txt) \
 *     org.openjdk.jmh.Main LiveConnectionsBench -p connections=1000,100000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime) // one pass of the 1 M packets per iteration, on a table set up afresh
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 12)
@Measurement(iterations = 12)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms3g", "-Xmx3g"}) // the collector ./analyze uses for large files
public class LiveConnectionsBench {
    static final int PACKETS = 1_000_000;

    @Param("100000")
    public int connections;

    private LiveTraffic.Frames traffic;
    private Segment[] open;
    private Segment[] segments;
    private Analyzer analyzer;

    @Setup(Level.Trial)
    public void generate() {
        LiveTraffic t = new LiveTraffic(connections);
        open = t.handshakes().decode();
        traffic = t.traffic(PACKETS, 1);
        segments = traffic.decode();
    }

    /**
     * A fresh analyzer with every connection open, then a full collection, so that no garbage of the last
     * iteration is collected in the measured part (not measured). Per iteration, not per invocation:
     * JMH counts a per-invocation setup's allocations and the collections they cause in the score.
     */
    @Setup(Level.Iteration)
    public void openAll() {
        analyzer = new Analyzer(AnalyzerConfig.defaults().withRetainConnections(false), AnalysisListener.NONE);
        for (Segment s : open) {
            analyzer.accept(s);
        }
        if (analyzer.liveConnections() != connections) {
            throw new IllegalStateException(analyzer.liveConnections() + " live connections");
        }
        System.gc();
    }

    /** Ethernet, IPv4 and TCP headers into a Segment, from one buffer as the reader holds frames. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long decode() {
        Decoder decoder = new Decoder(false);
        DecodeStats stats = new DecodeStats();
        LiveTraffic.Frames f = traffic;
        long seq = 0;
        for (int i = 0; i < f.size; i++) {
            Segment s = decoder.decodeSegment(f.number[i], f.time[i], LiveTraffic.ETHERNET, f.bytes, f.offset[i],
                    f.length[i], f.length[i], stats);
            seq += s.seq();
        }
        return seq;
    }

    /**
     * {@link #stateMachine} as the CLI's pipeline feeds the analysis (DecodeAhead): in groups of
     * {@link FlowTable#WARM_GROUP}, each group's flows read into the cache together first ({@link Analyzer#warm}).
     */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int stateMachineWarmed() {
        feedWarmed(analyzer, segments);
        return analyzer.liveConnections();
    }

    static void feedWarmed(Analyzer a, Segment[] segments) {
        int g = FlowTable.WARM_GROUP;
        for (int i = 0; i < segments.length; i += g) {
            int end = Math.min(i + g, segments.length);
            a.warm(segments, i, end);
            for (int j = i; j < end; j++) {
                a.accept(segments[j]);
            }
        }
    }

    /** Flow table lookup and both sides' state machines per segment, with every connection open. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int stateMachine() {
        Analyzer a = analyzer;
        for (Segment s : segments) {
            a.accept(s);
        }
        return a.liveConnections();
    }
}
