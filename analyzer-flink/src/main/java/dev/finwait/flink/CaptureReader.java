package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.CaptureReaders;
import dev.finwait.capture.FrameSource;
import dev.finwait.capture.FrameVisitor;
import dev.finwait.capture.ReaderCheckpoint;
import dev.finwait.decode.DecodeStats;
import dev.finwait.decode.Decoder;
import dev.finwait.pipeline.SegmentStage;
import dev.finwait.tcp.Segment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads its capture point's files one after another and decodes them: each TCP segment goes out with
 * its packet time as event time, and each file ends with its totals ({@link FileDone}). At most
 * {@value #BATCH} frames per {@link #pollNext} call, so that the task's mailbox (checkpoints among it)
 * runs between them; the split state is the core reader's own checkpoint, so a restored job reads on from the
 * frame after the last one it emitted.
 */
final class CaptureReader implements SourceReader<Item, FileSplit> {
    /** Frames read per {@link #pollNext} call: small, so that checkpoints wait at most that long. */
    private static final int BATCH = 64;
    private final SourceReaderContext context;
    private final boolean verifyChecksums;
    /** The keys of the copies of each file's totals ({@link Job#routes}). */
    private final int[] routes;
    private final Deque<FileSplit> splits = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private FileFinished lastFinished;

    // the file being read
    private FileSplit split;
    private FrameSource frames;
    private SourceOutput<Item> out;
    private Decoder decoder;
    private DecodeStats stats;
    private long tcp;
    private long lastNanos; // of TCP segments only: the capture's end as the core's flow table sees it
    private long lastNumber;
    // the clock's steps read in this poll (sent with it: nothing of them waits for a checkpoint)
    private long clock = Long.MIN_VALUE;
    private long[] steps = new long[BATCH];
    private int stepCount;
    private final FrameVisitor visitor = this::frame;

    CaptureReader(SourceReaderContext context, boolean verifyChecksums, int[] routes) {
        this.context = context;
        this.verifyChecksums = verifyChecksums;
        this.routes = routes;
    }

    @Override
    public void start() {
        if (splits.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Item> output) throws Exception {
        if (split == null) {
            FileSplit s = splits.pollFirst();
            if (s == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                if (available.isDone()) {
                    available = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            open(s, output);
        }
        try {
            for (int i = 0; i < BATCH; i++) {
                if (!frames.next(visitor)) {
                    finish(output, null);
                    break;
                }
            }
        } catch (CaptureFormatException e) {
            finish(output, e.getMessage());
        }
        sendSteps();
        return InputStatus.MORE_AVAILABLE;
    }

    private void open(FileSplit s, ReaderOutput<Item> output) throws IOException {
        Path path = Path.of(s.path());
        frames = s.at() == null ? CaptureReaders.open(path) : CaptureReaders.resume(path, s.at());
        split = s;
        out = output.createOutputForSplit(s.splitId());
        decoder = new Decoder(verifyChecksums);
        stats = new DecodeStats();
        tcp = s.tcpSegments();
        lastNanos = s.lastNanos();
        lastNumber = s.at() == null ? 0 : s.at().frames();
    }

    private void frame(long number, long time, int link, byte[] data, int offset, int caplen, int origlen,
                       long fileOffset) {
        lastNumber = number;
        Segment s = decoder.decodeSegment(split.frameBase() + number, time, link, data, offset, caplen, origlen, stats);
        if (s != null) {
            tcp++;
            lastNanos = Math.max(lastNanos, time);
            if (time > clock) {
                clock = time;
                steps[stepCount++] = time; // at most one per frame, BATCH frames per poll
            }
            out.collect(Item.segment(split.point(), s, SegmentStage.capturedPayload(caplen, origlen, s)), time);
        }
    }

    /** The clock's steps since the last call, on the current file's output (the watermark is not moved by them). */
    private void sendSteps() {
        if (stepCount > 0 && out != null) {
            out.collect(Item.clock(split.point(), Arrays.copyOf(steps, stepCount)), Long.MIN_VALUE);
        }
        stepCount = 0;
    }

    private void finish(ReaderOutput<Item> output, String error) throws IOException {
        sendSteps();
        FileSplit s = split;
        long endFrame = s.frameBase() + lastNumber;
        FileDone done = new FileDone(s.point(), s.file(), Path.of(s.path()).getFileName().toString(), lastNumber,
                endFrame, tcp, s.malformed() + stats.malformed(), s.nonTcp() + stats.skipped(), problems(s),
                lastNanos, error);
        for (int route : routes) {
            out.collect(Item.done(done, route), lastNanos == Long.MIN_VALUE ? 0 : lastNanos);
        }
        output.releaseOutputForSplit(s.splitId());
        frames.close();
        frames = null;
        split = null;
        out = null;
        lastFinished = new FileFinished(s.point(), s.file(), endFrame, error != null);
        context.sendSourceEventToCoordinator(lastFinished);
        if (splits.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    private Map<DecodeProblem, Long> problems(FileSplit s) {
        Map<DecodeProblem, Long> all = new TreeMap<>(s.problems());
        stats.reasons().forEach((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    @Override
    public List<FileSplit> snapshotState(long checkpointId) {
        List<FileSplit> state = new ArrayList<>();
        if (split != null) {
            ReaderCheckpoint at = frames.checkpoint();
            FileSplit s = split;
            state.add(new FileSplit(s.point(), s.file(), s.path(), s.frameBase(), at, tcp,
                    s.malformed() + stats.malformed(), s.nonTcp() + stats.skipped(), problems(s), lastNanos));
        }
        state.addAll(splits);
        if (lastFinished != null) {
            state.add(FileSplit.finishedMarker(lastFinished));
        }
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<FileSplit> added) {
        for (FileSplit s : added) {
            if (s.isFinishedMarker()) {
                lastFinished = s.finished();
                context.sendSourceEventToCoordinator(lastFinished);
            } else {
                splits.add(s);
            }
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws IOException {
        if (frames != null) {
            frames.close();
        }
    }
}
