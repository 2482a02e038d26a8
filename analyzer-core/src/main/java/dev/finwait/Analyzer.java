package dev.finwait;

import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import dev.finwait.event.AnalysisListener;
import dev.finwait.report.CaptureSummary;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The facade: feed frames (or hand-built segments) in capture order, then {@link #finish()}.
 * Not thread-safe: one analyzer per thread (or per key in a stream processor).
 */
public final class Analyzer {
    private final AnalyzerConfig config;
    private final AnalysisListener listener;
    private long frames;
    private long segments;
    private String inputError;

    public Analyzer(AnalyzerConfig config, AnalysisListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Reads every frame of {@code source}; a format error ends the reading but not the analysis. */
    public static AnalysisResult analyze(FrameSource source, AnalyzerConfig config, AnalysisListener listener)
            throws IOException {
        Analyzer analyzer = new Analyzer(config, listener);
        try (source) {
            for (Frame f = source.next(); f != null; f = source.next()) {
                analyzer.acceptFrame(f);
            }
        } catch (CaptureFormatException e) {
            analyzer.inputError(e.getMessage());
        }
        return analyzer.finish();
    }

    /** Decodes and analyzes one frame. */
    public void acceptFrame(Frame frame) {
        frames++;
    }

    /** Analyzes one already-decoded (or hand-built) segment. */
    public void accept(Segment segment) {
        segments++;
    }

    /** Moves capture time forward without a packet (quiet wire in live mode): expires timers. */
    public void advanceTo(long nowNanos) {
    }

    /** Records the fatal input error that ended reading; it goes into the summary. */
    public void inputError(String message) {
        this.inputError = message;
    }

    /** End of input: closes what is open (TIME_WAIT windows end by capture_end) and returns the result. */
    public AnalysisResult finish() {
        return new AnalysisResult(List.of(), new CaptureSummary(frames, segments, 0, 0, 0, Map.of(), inputError));
    }
}
