package dev.finwait;

import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.FrameVisitor;
import dev.finwait.capture.ReadProgress;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.event.ConnectionEvent;
import dev.finwait.flow.ConnectionIds;
import dev.finwait.flow.FinishedConnection;
import dev.finwait.flow.Flow;
import dev.finwait.flow.FlowTable;
import dev.finwait.model.AnalyzerConfig;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.InputError;
import dev.finwait.pipeline.DecodeAhead;
import dev.finwait.pipeline.ReportBehind;
import dev.finwait.pipeline.SegmentStage;
import dev.finwait.pipeline.ShardedAnalysis;
import dev.finwait.report.ConnectionVerdict;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The facade: feed frames (or hand-built segments) in capture order, then {@link #finish()}.
 * Not thread-safe: one analyzer per thread (or per key in a stream processor). No wall clock:
 * every timer runs on packet timestamps.
 */
public final class Analyzer {
    /** The most threads a sharded analysis runs the flows on ({@link #readAll(FrameSource, int, int, ReadProgress)}). */
    public static final int MAX_SHARDS = ShardedAnalysis.MAX_SHARDS;
    private final AnalyzerConfig config;
    private final Decoder decoder;
    private final DecodeStats decodeStats = new DecodeStats();
    private final FlowTable table;
    private final AnalysisListener listener;
    private final boolean events;
    private final boolean outcomes; // listeners get onOutcome: judged here, so no report thread
    private ReportBehind reportBehind; // the report thread, once readAll has started one
    private final boolean sequentialIds; // the default numbering, which a sharded analysis reproduces
    private ShardedAnalysis sharded; // the flows on several threads, once readAll has started them
    private final List<ConnectionReport> retained = new ArrayList<>();
    private long frames;
    private long segments;
    private InputError inputError;
    private boolean finished;
    private CaptureSummary summary;

    /** An analyzer whose listener gets connections, the input error and the end, but no events. */
    public Analyzer(AnalyzerConfig config, AnalysisListener listener) {
        this(config, listener, false, ConnectionIds.sequential());
    }

    private Analyzer(AnalyzerConfig config, AnalysisListener listener, boolean events, ConnectionIds ids) {
        this(config, listener, events, ids, false, true);
    }

    private Analyzer(AnalyzerConfig config, AnalysisListener listener, boolean events, ConnectionIds ids,
                     boolean outcomes, boolean sequentialIds) {
        this.config = config;
        this.sequentialIds = sequentialIds;
        this.decoder = new Decoder(config.verifyChecksums());
        this.listener = listener;
        this.events = events;
        this.outcomes = outcomes;
        Consumer<ConnectionEvent> eventSink = events ? listener::onEvent : null;
        this.table = new FlowTable(new Flow.Context(config, ids, eventSink, this::judge,
                outcomes ? c -> listener.onOutcome(ConnectionVerdict.snapshot(c)) : null));
    }

    /** Starts an analyzer whose listeners are registered one by one. */
    public static Builder builder(AnalyzerConfig config) {
        return new Builder(config);
    }

    /**
     * Registers listeners. Events are built only when a listener is registered for them
     * ({@link #eventListener}); every other listener gets connections, the input error and the end.
     */
    public static final class Builder {
        private final AnalyzerConfig config;
        private final List<AnalysisListener> listeners = new ArrayList<>();
        private final List<AnalysisListener> eventListeners = new ArrayList<>();
        private ConnectionIds ids = ConnectionIds.sequential();
        private boolean customIds;
        private boolean outcomes;

        private Builder(AnalyzerConfig config) {
            this.config = config;
        }

        /** How connections are numbered; by default 1, 2, 3, ... in order of their first packet. */
        public Builder ids(ConnectionIds ids) {
            this.ids = ids;
            this.customIds = true;
            return this;
        }

        /** Gets {@code onConnection}, {@code onError} and {@code onEnd}; never {@code onEvent}. */
        public Builder listener(AnalysisListener l) {
            listeners.add(l);
            return this;
        }

        /**
         * Every listener is also told each connection's outcome as soon as it is known
         * ({@link AnalysisListener#onOutcome}): one more verdict per connection, on the analysis thread.
         */
        public Builder outcomes() {
            this.outcomes = true;
            return this;
        }

        /** Gets every event too, in capture order with the connections; events are then built. */
        public Builder eventListener(AnalysisListener l) {
            eventListeners.add(l);
            return this;
        }

        /** {@return the analyzer; a builder can build more than one, each with the listeners added so far} */
        public Analyzer build() {
            List<AnalysisListener> all = new ArrayList<>(eventListeners);
            all.addAll(listeners);
            AnalysisListener one = all.size() == 1 ? all.get(0) : new Fanout(List.copyOf(eventListeners), List.copyOf(all));
            return new Analyzer(config, one, !eventListeners.isEmpty(), ids, outcomes, !customIds);
        }
    }

    /** Several listeners in registration order; events only to those registered for them. */
    private record Fanout(List<AnalysisListener> forEvents, List<AnalysisListener> all) implements AnalysisListener {
        @Override
        public void onConnection(ConnectionReport report) {
            for (AnalysisListener l : all) l.onConnection(report);
        }

        @Override
        public void onOutcome(ConnectionReport report) {
            for (AnalysisListener l : all) l.onOutcome(report);
        }

        @Override
        public void onEvent(ConnectionEvent event) {
            for (AnalysisListener l : forEvents) l.onEvent(event);
        }

        @Override
        public void onError(InputError error) {
            for (AnalysisListener l : all) l.onError(error);
        }

        @Override
        public void onEnd(CaptureSummary summary) {
            for (AnalysisListener l : all) l.onEnd(summary);
        }
    }

    /** Reads every frame of {@code source} on this thread; a format error ends the reading but not the analysis. */
    public static AnalysisResult analyze(FrameSource source, AnalyzerConfig config, AnalysisListener listener)
            throws IOException {
        return new Analyzer(config, listener).analyzeAll(source);
    }

    /**
     * Reads every frame of {@code source} on this thread, closes it and finishes: a format error ends
     * the reading (it becomes the summary's input error) but not the analysis.
     */
    public AnalysisResult analyzeAll(FrameSource source) throws IOException {
        try (source) {
            readAll(source, 1, ReadProgress.NONE);
        } catch (CaptureFormatException e) {
            inputError(new InputError(e.getMessage(), e.offset()));
        }
        return finish();
    }

    /** Decodes and analyzes one frame. */
    public void acceptFrame(Frame frame) {
        frames++;
        Segment s = decode(frame.number(), frame.timeNanos(), frame.linkType(), frame.data(), frame.offset(),
                frame.capturedLength(), frame.originalLength());
        if (s != null) {
            analyze(s, SegmentStage.capturedPayload(frame.capturedLength(), frame.originalLength(), s));
        }
    }

    /**
     * Decodes one frame and counts the outcome; the TCP segment, or null. The decoder and its counters
     * belong to whichever thread reads: this one, or the decode thread during {@link #readAll}.
     */
    private Segment decode(long number, long time, int link, byte[] data, int offset, int caplen, int origlen) {
        return decoder.decodeSegment(number, time, link, data, offset, caplen, origlen, decodeStats);
    }

    /** Analyzes one decoded segment of which {@code capturedPayload} payload bytes were captured. */
    private void analyze(Segment s, int capturedPayload) {
        segments++;
        if (sharded != null) {
            sharded.accept(s, capturedPayload);
        } else {
            table.accept(s, zeekView(s), capturedPayload);
        }
    }

    /**
     * Analyzes every frame of {@code source} (which stays open) on up to three threads, with the same
     * result as on one: {@code threads} 1 does everything here; 2 reads and decodes on a second thread;
     * 3 also judges finished connections and calls the listener on a third, when no listener is
     * registered for events (otherwise 3 is 2: events and connections must stay in one order). Then
     * {@link #finish()} waits for that thread. A reader exception ends the reading and is rethrown here,
     * after every frame before it has been analyzed.
     */
    public void readAll(FrameSource source, int threads, ReadProgress progress) throws IOException {
        readAll(source, threads, 0, progress);
    }

    /**
     * {@link #readAll(FrameSource, int, ReadProgress)}, with the flows and their state machines on
     * {@code shards} threads when {@code shards} is 1 or more (sharded by 4-tuple; reading and decoding on
     * one more thread, the reports merged into the single-threaded order and handed to the listener on
     * another): the same reports, ids, order and summary for every count. Only when no listener is
     * registered for events or outcomes, connections are numbered by the default and nothing was analyzed
     * before; otherwise {@code shards} is ignored. At most {@link #MAX_SHARDS}.
     */
    public void readAll(FrameSource source, int threads, int shards, ReadProgress progress) throws IOException {
        if (shards >= 1 && !events && !outcomes && sequentialIds && sharded == null && reportBehind == null
                && segments == 0 && !finished) {
            sharded = new ShardedAnalysis(shards, config, this::zeekView, this::deliver);
            threads = 2; // the dispatcher needs the reading off its thread
        }
        if (threads >= 3 && !events && !outcomes && reportBehind == null && sharded == null) {
            reportBehind = new ReportBehind(this::judgeNow);
        }
        if (threads >= 2) {
            new DecodeAhead(source, new SegmentStage() {
                @Override
                public Segment decode(long number, long time, int link, byte[] data, int offset, int caplen, int origlen) {
                    return Analyzer.this.decode(number, time, link, data, offset, caplen, origlen);
                }

                @Override
                public void analyze(Segment s, int capturedPayload) {
                    Analyzer.this.analyze(s, capturedPayload);
                }

                @Override
                public void warm(Segment[] segments, int from, int to) {
                    Analyzer.this.warm(segments, from, to);
                }

                @Override
                public void framesRead(long n) {
                    frames = n;
                }
            }).feed(progress);
            return;
        }
        // Through the visitor, the reader builds no Frame per packet.
        FrameVisitor visitor = (number, time, link, data, offset, caplen, origlen, fileOffset) -> {
            frames++;
            Segment s = decode(number, time, link, data, offset, caplen, origlen);
            if (s != null) {
                analyze(s, SegmentStage.capturedPayload(caplen, origlen, s));
            }
            if ((frames & DecodeAhead.PROGRESS_MASK) == 0) {
                progress.at(fileOffset, frames);
            }
        };
        while (source.next(visitor)) {
            // the visitor did the work
        }
    }

    /** Frames read so far (TCP or not). */
    public long frames() {
        return frames;
    }

    /** Analyzes one already-decoded (or hand-built) segment, all of whose payload was captured. */
    public void accept(Segment segment) {
        accept(segment, segment.payloadLength());
    }

    /**
     * Prepares the next {@code segments[from, to)} (at most {@link FlowTable#WARM_GROUP}) for {@link #accept}:
     * reads their flows into the cache, all at once, changing nothing (see {@code FlowTable.warm}).
     * Optional: the analysis is the same with or without it, only faster with many live connections.
     */
    public void warm(Segment[] segments, int from, int to) {
        if (sharded == null) {
            table.warm(segments, from, to);
        }
    }

    /** Analyzes one already-decoded segment of which only {@code capturedPayload} payload bytes were captured. */
    public void accept(Segment segment, int capturedPayload) {
        analyze(segment, capturedPayload);
    }

    /**
     * Zeek drops segments with a bad checksum; we only do so in {@code skipBadChecksums} mode, since
     * captures taken on the sending host carry offloaded (wrong) checksums on every segment.
     */
    private Segment zeekView(Segment s) {
        if (s.checksum() != Segment.Checksum.BAD || config.skipBadChecksums()) {
            return s;
        }
        return new Segment(s.frame(), s.timeNanos(), s.src(), s.dst(), s.flags(), s.seq(), s.ack(), s.window(),
                s.payloadLength(), s.options(), Segment.Checksum.UNCHECKED, s.ipLength(), s.ipId());
    }

    /** Moves capture time forward without a packet (quiet wire in live mode): expires timers. */
    public void advanceTo(long nowNanos) {
        table.advanceTo(nowNanos);
    }

    /** Records the input error that ended reading; it goes to the listener now and into the summary. */
    public void inputError(InputError error) {
        this.inputError = error;
        listener.onError(error);
    }

    /** Connections currently tracked (not yet finished). */
    public int liveConnections() {
        return table.liveConnections(); // 0 when sharded: the shards' tables are theirs
    }

    /**
     * The report of every connection still tracked, as it stands now (TIME_WAIT windows still open are
     * {@code SCHEDULED}; an open connection is {@code open}), in id order: provisional answers for a
     * live capture's summary so far. On the analysis thread, between two frames.
     */
    public List<ConnectionReport> trackedSoFar() {
        List<ConnectionReport> out = new ArrayList<>(table.liveConnections());
        table.forEachLive(c -> out.add(ConnectionVerdict.snapshot(c)));
        return out;
    }

    /** Where the flow table hands a finished connection: judged here, or on the report thread. */
    private void judge(FinishedConnection c) {
        if (reportBehind != null) {
            reportBehind.finished(c);
        } else {
            judgeNow(c);
        }
    }

    private void judgeNow(FinishedConnection c) {
        deliver(ConnectionVerdict.report(c));
    }

    private void deliver(ConnectionReport report) {
        if (config.retainConnections()) {
            retained.add(report);
        }
        listener.onConnection(report);
    }

    /**
     * End of input: finishes what is open (TIME_WAIT windows end by capture_end), tells the listener
     * the totals and returns the result. Calling it again returns the same result.
     */
    public AnalysisResult finish() {
        if (!finished) {
            finished = true;
            if (sharded != null) {
                sharded.finish(); // every connection reported, retained ones included
            } else {
                table.finishAll();
            }
            if (reportBehind != null) {
                reportBehind.close(); // every connection reported, retained ones included
            }
            retained.sort(Comparator.comparingLong(ConnectionReport::id));
            long seen = sharded != null ? sharded.connectionsSeen() : table.connectionsSeen();
            summary = new CaptureSummary(frames, segments, seen,
                    decodeStats.malformed(), decodeStats.skipped(), decodeStats.reasons(),
                    inputError == null ? null : inputError.message());
            listener.onEnd(summary);
        }
        return new AnalysisResult(retained, summary);
    }
}
