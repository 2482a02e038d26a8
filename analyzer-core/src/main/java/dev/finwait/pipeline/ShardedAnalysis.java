package dev.finwait.pipeline;

import dev.finwait.flow.ConnectionIds;
import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.flow.FlowTable;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.ConnectionReport;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.Segment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The flows and their state machines on N threads, sharded by 4-tuple, with the result of one thread:
 * the same reports, the same ids, in the same order, for every N.
 *
 * <p>The caller (the dispatcher) hands segments over in capture order; they go in rounds to every shard.
 * A shard analyzes the segments of its own flows and moves its clock by every segment, its own or not,
 * so each shard's timers fire at the same steps as in one table. A shard numbers a new connection by the
 * global index of its first segment, which orders connections as the single-threaded ids do (and breaks
 * deadline ties the same way); the merger renumbers them 1, 2, 3, ... by counting first segments.
 *
 * <p>One table finishes connections in this order: at each segment, those its clock step wakes, by
 * (deadline heap entry, tie key); then the one a new SYN of the segment ends; at the end of input, the rest
 * by id. A shard tags each finish with that key; since each shard's finishes come in key order, the
 * merger (a thread of its own, which also calls {@code out}) merges the shards' finishes of each round
 * by key and gets the single-threaded order. Verdicts are made on the shards, in parallel.
 */
public final class ShardedAnalysis {
    /** The most shards: a shard's index is kept in a byte per segment. */
    public static final int MAX_SHARDS = 64;
    private static final int ROUND = 4096;
    private static final int IN_FLIGHT = 4;
    private static final int ADVANCE = 0;
    private static final int SEGMENT = 1;
    private static final int END = 2;

    private final Shard[] shards;
    private final ConsumerThread<Chunk> merger;
    private final Merge merge;
    // The dispatcher's state (the calling thread).
    private Round filling;
    private long rounds;
    private long next; // global index of the next segment
    private long lastPacket = Long.MIN_VALUE;
    private boolean finished;
    private boolean interrupted; // the dispatcher was interrupted while handing a round over: restored after

    /**
     * @param shards    threads for the flows, 1 to {@link #MAX_SHARDS}
     * @param zeekView  the segment as Zeek would judge its checksum (called on the shards)
     * @param out       gets every report in the single-threaded order, on the merger thread
     */
    public ShardedAnalysis(int shards, AnalyzerConfig config, UnaryOperator<Segment> zeekView,
                           Consumer<ConnectionReport> out) {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("shards must be between 1 and " + MAX_SHARDS + ", not " + shards);
        }
        this.merge = new Merge(shards, out);
        this.merger = new ConsumerThread<>("finwait-merge", IN_FLIGHT * shards * 2, merge::take, () -> { });
        this.shards = new Shard[shards];
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard(i, config, zeekView);
        }
    }

    /** Analyzes one segment (of whose payload {@code capturedPayload} bytes were captured), in capture order. */
    public void accept(Segment s, int capturedPayload) {
        Round r = filling;
        if (r == null) {
            r = filling = new Round(rounds, next, false, 0);
        }
        int i = r.size++;
        r.segments[i] = s;
        r.captured[i] = capturedPayload;
        r.shard[i] = (byte) shardOf(s, shards.length);
        next++;
        if (s.timeNanos() > lastPacket) {
            lastPacket = s.timeNanos();
        }
        if (r.size == ROUND) {
            filling = null;
            try {
                send(r);
            } finally {
                restoreInterrupt();
            }
        }
    }

    /** Connections opened so far; exact after {@link #finish()}. */
    public long connectionsSeen() {
        long n = 0;
        for (Shard s : shards) {
            n += s.opened;
        }
        return n;
    }

    /**
     * What each thread did, for benchmarks (after {@link #finish()}): each shard's own segments and the
     * CPU time of its thread, and the merger thread's CPU time ({@code -1} where the JVM cannot tell).
     */
    public record Stats(long[] segments, long[] cpuNanos, long mergeCpuNanos) {
    }

    /** After {@link #finish()}: what each thread did. */
    public Stats stats() {
        long[] segments = new long[shards.length];
        long[] cpu = new long[shards.length];
        for (int i = 0; i < shards.length; i++) {
            segments[i] = shards[i].own;
            cpu[i] = shards[i].cpuNanos;
        }
        return new Stats(segments, cpu, merge.cpuNanos);
    }

    /**
     * End of input: the shards finish what is open at the last packet's time, and this waits until the
     * merger has handed every report to {@code out}. Rethrows what failed there ({@code out}'s exception first).
     * An interrupt of the calling thread does not cut this short (one thread's {@code finishAll} ignores it
     * too): every report still goes out, and the thread's interrupt status is set again on return.
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        // Set, it would make every hand-over and join below fail at once and drop the rounds in flight.
        interrupted |= Thread.interrupted();
        try {
            if (filling != null) {
                Round r = filling;
                filling = null;
                if (!submitAll(r)) {
                    closeAll();
                    return;
                }
            }
            submitAll(new Round(rounds, next, true, lastPacket));
            closeAll();
        } finally {
            restoreInterrupt();
        }
    }

    private void restoreInterrupt() {
        if (interrupted) {
            interrupted = false;
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Which shard analyzes a segment's flow: a hash of the unordered 4-tuple, so both directions go to
     * one shard.
     */
    static int shardOf(Segment s, int n) {
        if (n == 1) {
            return 0;
        }
        long h = s.src().hashCode() + (long) s.dst().hashCode(); // a sum: the same either way round
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int) Math.floorMod(h, (long) n);
    }

    private void send(Round r) {
        if (!submitAll(r)) {
            finished = true;
            closeAll(); // throws what stopped a shard or the merger
            throw new IllegalStateException("a shard stopped"); // not reached: closeAll threw
        }
    }

    /**
     * Hands {@code r} to every shard; false once one has failed. An interrupt does not drop the round (a
     * shard that missed one would never finish its chunks): it is noted and the hand-over goes on.
     */
    private boolean submitAll(Round r) {
        rounds++;
        for (Shard s : shards) {
            while (!s.thread.submit(r)) {
                if (s.thread.failure() != null || !Thread.interrupted()) {
                    return false;
                }
                interrupted = true;
            }
        }
        return true;
    }

    /** Waits for every shard, then for the merger; throws the merger's exception, else a shard's. */
    private void closeAll() {
        RuntimeException failure = null;
        for (Shard s : shards) {
            try {
                s.thread.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        try {
            merger.close();
        } catch (RuntimeException e) {
            failure = e; // the shards stop because the merger did
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static long threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /** Segments in capture order, read by every shard (never changed once sent). */
    private static final class Round {
        final long number;
        final long start; // global index of segments[0]
        final boolean last; // end of input: no segments, finish everything at endNanos
        final long endNanos;
        final Segment[] segments;
        final int[] captured;
        final byte[] shard;
        int size;

        Round(long number, long start, boolean last, long endNanos) {
            this.number = number;
            this.start = start;
            this.last = last;
            this.endNanos = endNanos;
            int n = last ? 0 : ROUND;
            this.segments = new Segment[n];
            this.captured = new int[n];
            this.shard = new byte[n];
        }
    }

    /** What one shard did in one round: the connections it opened and those it finished, in its order. */
    private static final class Chunk {
        final long round;
        final int shard;
        final long end; // global index after the round's last segment
        long[] opens = new long[16];
        int openCount;
        long[] keys = new long[48]; // (step * 2 + phase, heap time, tie) per finish
        ConnectionReport[] reports = new ConnectionReport[16];
        int finishCount;

        final boolean last;

        Chunk(long round, int shard, long end, boolean last) {
            this.round = round;
            this.shard = shard;
            this.end = end;
            this.last = last;
        }

        void opened(long index) {
            if (openCount == opens.length) {
                opens = Arrays.copyOf(opens, openCount * 2);
            }
            opens[openCount++] = index;
        }

        void finished(long key, long at, long tie, ConnectionReport report) {
            if (finishCount == reports.length) {
                reports = Arrays.copyOf(reports, finishCount * 2);
                keys = Arrays.copyOf(keys, finishCount * 6);
            }
            keys[finishCount * 3] = key;
            keys[finishCount * 3 + 1] = at;
            keys[finishCount * 3 + 2] = tie;
            reports[finishCount++] = report;
        }
    }

    /** One shard: a flow table of its own on a thread of its own. */
    private final class Shard {
        final int index;
        final FlowTable table;
        final ConsumerThread<Round> thread;
        final UnaryOperator<Segment> zeekView;
        long opened; // these three are read after the thread has ended
        long own;
        long cpuNanos = -1;
        long current; // global index of the segment being analyzed: a new connection's provisional id
        long step;
        int phase;
        Chunk chunk;

        Shard(int index, AnalyzerConfig config, UnaryOperator<Segment> zeekView) {
            this.index = index;
            this.zeekView = zeekView;
            ConnectionIds ids = (key, firstNanos, firstFrame) -> {
                chunk.opened(current);
                opened++;
                return current;
            };
            this.table = new FlowTable(new Flow.Context(config, ids, null, this::finished));
            this.thread = new ConsumerThread<>("finwait-shard-" + index, IN_FLIGHT, this::run, () -> { });
        }

        private void run(Round r) {
            chunk = new Chunk(r.number, index, r.start + r.size, r.last);
            if (r.last) {
                phase = END;
                table.finishAll(r.endNanos);
                cpuNanos = threadCpuNanos();
            } else {
                Segment[] segments = r.segments;
                byte[] owner = r.shard;
                for (int i = 0; i < r.size; i++) {
                    Segment s = segments[i];
                    step = r.start + i;
                    phase = ADVANCE;
                    table.advanceTo(s.timeNanos()); // every segment moves every shard's clock
                    if (owner[i] == index) {
                        own++;
                        phase = SEGMENT;
                        current = step;
                        table.accept(s, zeekView.apply(s), r.captured[i]);
                    }
                }
            }
            Chunk done = chunk;
            chunk = null;
            if (!merger.submit(done)) {
                throw new IllegalStateException("the report merger stopped");
            }
        }

        private void finished(FinishedConnection c) {
            ConnectionReport report = ConnectionVerdict.report(c);
            switch (phase) {
                case ADVANCE -> chunk.finished(step * 2, table.wakingAt(), table.wakingTie(), report);
                case SEGMENT -> chunk.finished(step * 2 + 1, 0, 0, report);
                default -> chunk.finished(Long.MAX_VALUE, 0, report.id(), report);
            }
        }
    }

    /**
     * The merger's state: chunks wait until every shard's chunk of the next round is in; then the
     * round's first segments are counted (ids) and its finishes merged by key.
     */
    private static final class Merge {
        private final int n;
        private final Consumer<ConnectionReport> out;
        private final Map<Long, Chunk[]> waiting = new HashMap<>();
        private long nextRound;
        volatile long cpuNanos = -1; // the merger thread's, once the last round is merged
        // One bit per segment that opened a connection; base[w] = bits set in words below w.
        private long[] bits = new long[1024];
        private long[] base = new long[1024];
        private int based; // base[] is valid below this word

        Merge(int n, Consumer<ConnectionReport> out) {
            this.n = n;
            this.out = out;
        }

        void take(Chunk c) {
            Chunk[] round = waiting.computeIfAbsent(c.round, r -> new Chunk[n]);
            round[c.shard] = c;
            Chunk[] ready;
            while ((ready = waiting.get(nextRound)) != null && complete(ready)) {
                waiting.remove(nextRound);
                nextRound++;
                mergeRound(ready);
                if (ready[0].last) {
                    cpuNanos = threadCpuNanos();
                }
            }
        }

        private boolean complete(Chunk[] round) {
            for (Chunk c : round) {
                if (c == null) {
                    return false;
                }
            }
            return true;
        }

        private void mergeRound(Chunk[] round) {
            for (Chunk c : round) {
                for (int i = 0; i < c.openCount; i++) {
                    setBit(c.opens[i]);
                }
            }
            countUpTo(round[0].end);
            int[] at = new int[n];
            while (true) {
                int best = -1;
                for (int s = 0; s < n; s++) {
                    if (at[s] < round[s].finishCount && (best < 0 || before(round[s], at[s], round[best], at[best]))) {
                        best = s;
                    }
                }
                if (best < 0) {
                    return;
                }
                ConnectionReport r = round[best].reports[at[best]++];
                out.accept(r.renumbered(this::id));
            }
        }

        private static boolean before(Chunk a, int i, Chunk b, int j) {
            for (int k = 0; k < 3; k++) {
                long x = a.keys[i * 3 + k];
                long y = b.keys[j * 3 + k];
                if (x != y) {
                    return x < y;
                }
            }
            return false;
        }

        private void setBit(long index) {
            int w = (int) (index >>> 6);
            if (w >= bits.length) {
                bits = Arrays.copyOf(bits, Math.max(w + 1, bits.length * 2));
            }
            bits[w] |= 1L << index;
        }

        /** Every segment below {@code end} is counted: base[] becomes valid through end's word. */
        private void countUpTo(long end) {
            int last = (int) (end >>> 6);
            if (last >= base.length) {
                base = Arrays.copyOf(base, Math.max(last + 1, base.length * 2));
            }
            if (last >= bits.length) {
                bits = Arrays.copyOf(bits, Math.max(last + 1, bits.length * 2));
            }
            if (based == 0) {
                base[0] = 0;
                based = 1;
            }
            while (based <= last) {
                base[based] = base[based - 1] + Long.bitCount(bits[based - 1]);
                based++;
            }
        }

        /** The final id of the connection whose first segment has global index {@code index}: 1 + opens before it. */
        private long id(long index) {
            int w = (int) (index >>> 6);
            return 1 + base[w] + Long.bitCount(bits[w] & ((1L << index) - 1));
        }
    }
}
