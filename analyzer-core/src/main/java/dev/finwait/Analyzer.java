package dev.finwait;
import dev.finwait.model.AnalyzerConfig;

import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.FrameVisitor;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.event.AnalysisListener;
import dev.finwait.flow.FlowTable;
import dev.finwait.model.CaptureSummary;
import dev.finwait.model.ConnectionReport;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The facade: feed frames (or hand-built segments) in capture order, then {@link #finish()}.
 * Not thread-safe: one analyzer per thread (or per key in a stream processor). No wall clock:
 * every timer runs on packet timestamps.
 */
public final class Analyzer {
    private final AnalyzerConfig config;
    private final Decoder decoder;
    private final DecodeStats decodeStats = new DecodeStats();
    private final FlowTable table;
    private final AnalysisListener listener;
    private ReportBehind reportBehind; // the report thread, once readAll has started one
    private final List<ConnectionReport> retained = new ArrayList<>();
    private long frames;
    private long segments;
    private String inputError;
    private boolean finished;

    public Analyzer(AnalyzerConfig config, AnalysisListener listener) {
        this.config = config;
        this.decoder = new Decoder(config.verifyChecksums());
        this.listener = listener;
        this.table = new FlowTable(config, listener, config.retainConnections() ? retained::add : r -> { });
    }

    /** Reads every frame of {@code source}; a format error ends the reading but not the analysis. */
    public static AnalysisResult analyze(FrameSource source, AnalyzerConfig config, AnalysisListener listener)
            throws IOException {
        Analyzer analyzer = new Analyzer(config, listener);
        try (source) {
            analyzer.readAll(source, 1, ReadProgress.NONE);
        } catch (CaptureFormatException e) {
            analyzer.inputError(e.getMessage());
        }
        return analyzer.finish();
    }

    /** Decodes and analyzes one frame. */
    public void acceptFrame(Frame frame) {
        frames++;
        Segment s = decode(frame.number(), frame.timeNanos(), frame.linkType(), frame.data(), frame.offset(),
                frame.capturedLength(), frame.originalLength());
        if (s != null) {
            acceptDecoded(s, capturedPayload(frame.capturedLength(), frame.originalLength(), s));
        }
    }

    /**
     * Decodes one frame and counts the outcome; the TCP segment, or null. The decoder and its counters
     * belong to whichever thread reads: this one, or the decode thread during {@link #readAll}.
     */
    Segment decode(long number, long time, int link, byte[] data, int offset, int caplen, int origlen) {
        return decoder.decodeSegment(number, time, link, data, offset, caplen, origlen, decodeStats);
    }

    /** How much of the segment's payload the frame holds: a frame cut by the snap length loses payload first. */
    static int capturedPayload(int capturedLength, int originalLength, Segment s) {
        // Zeek reports the missing bytes as a content gap.
        int cut = originalLength - capturedLength;
        return cut <= 0 ? s.payloadLength() : Math.max(0, s.payloadLength() - cut);
    }

    void acceptDecoded(Segment s, int capturedPayload) {
        segments++;
        table.accept(s, zeekView(s), capturedPayload);
    }

    /** Told every few thousand frames while {@link #readAll} reads: the reader's file offset and the frames so far. */
    @FunctionalInterface
    public interface ReadProgress {
        ReadProgress NONE = (fileOffset, frames) -> { };

        void at(long fileOffset, long frames);
    }

    /**
     * Analyzes every frame of {@code source} (which stays open) on up to three threads, with the same
     * result as on one: {@code threads} 1 does everything here; 2 reads and decodes on a second thread;
     * 3 also judges finished connections and calls the listener on a third, when the listener wants only
     * finished connections ({@link AnalysisListener#wantsEvents()} false; otherwise 3 is 2). Then
     * {@link #finish()} waits for that thread. A reader exception ends the reading and is rethrown here,
     * after every frame before it has been analyzed.
     */
    public void readAll(FrameSource source, int threads, ReadProgress progress) throws IOException {
        if (threads >= 3 && !listener.wantsEvents() && reportBehind == null) {
            reportBehind = new ReportBehind(table);
            table.reportElsewhere(reportBehind);
        }
        if (threads >= 2) {
            new DecodeAhead(source, this).feed(progress);
            return;
        }
        // Through the visitor, the reader builds no Frame per packet.
        FrameVisitor visitor = (number, time, link, data, offset, caplen, origlen, fileOffset) -> {
            frames++;
            Segment s = decode(number, time, link, data, offset, caplen, origlen);
            if (s != null) {
                acceptDecoded(s, capturedPayload(caplen, origlen, s));
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

    void framesRead(long n) {
        frames = n;
    }

    /** Analyzes one already-decoded (or hand-built) segment. */
    public void accept(Segment segment) {
        segments++;
        table.accept(segment, zeekView(segment), segment.payloadLength());
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
                s.payloadLength(), s.options(), Segment.Checksum.UNCHECKED, s.ipLength());
    }

    /** Moves capture time forward without a packet (quiet wire in live mode): expires timers. */
    public void advanceTo(long nowNanos) {
        table.advanceTo(nowNanos);
    }

    /** Records the fatal input error that ended reading; it goes into the summary. */
    public void inputError(String message) {
        this.inputError = message;
    }

    /** Connections currently tracked (not yet finished). */
    public int liveConnections() {
        return table.liveConnections();
    }

    /** End of input: finishes what is open (TIME_WAIT windows end by capture_end) and returns the result. */
    public AnalysisResult finish() {
        if (!finished) {
            finished = true;
            table.finishAll();
            if (reportBehind != null) {
                reportBehind.close(); // every connection reported, retained ones included
            }
            retained.sort(Comparator.comparingLong(ConnectionReport::id));
        }
        CaptureSummary summary = new CaptureSummary(frames, segments, table.connectionsSeen(),
                decodeStats.malformed(), decodeStats.skipped(), decodeStats.reasons(), inputError);
        return new AnalysisResult(retained, summary);
    }
}
