package dev.finwait.flink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands each capture point's files, one at a time and in order, to the reader of the point's index:
 * the next file only once the reader said where the previous one ended (its last frame number).
 */
final class CaptureEnumerator implements SplitEnumerator<FileSplit, EnumState> {
    private final SplitEnumeratorContext<FileSplit> context;
    private final List<List<String>> points;
    private final int[] next;
    private final long[] base;
    private final boolean[] stopped;
    private final List<Deque<FileSplit>> returned = new ArrayList<>();
    private final Set<Integer> waiting = new HashSet<>();

    CaptureEnumerator(SplitEnumeratorContext<FileSplit> context, List<List<String>> points, EnumState state) {
        this.context = context;
        this.points = points;
        this.next = state.next().clone();
        this.base = state.base().clone();
        this.stopped = state.stopped().clone();
        for (int p = 0; p < points.size(); p++) {
            returned.add(new ArrayDeque<>());
        }
        for (FileSplit s : state.returned()) {
            returned.get(s.point()).addLast(s);
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtask, String host) {
        waiting.add(subtask);
        assign(subtask);
    }

    private void assign(int subtask) {
        if (!waiting.contains(subtask)) {
            return;
        }
        if (subtask >= points.size()) {
            waiting.remove(subtask);
            context.signalNoMoreSplits(subtask);
            return;
        }
        int p = subtask;
        if (!returned.get(p).isEmpty()) {
            waiting.remove(subtask);
            context.assignSplit(returned.get(p).pollFirst(), subtask);
        } else if (stopped[p] || next[p] >= points.get(p).size()) {
            waiting.remove(subtask);
            context.signalNoMoreSplits(subtask);
        } else if (base[p] >= 0) {
            waiting.remove(subtask);
            context.assignSplit(FileSplit.start(p, next[p], points.get(p).get(next[p]), base[p]), subtask);
            next[p]++;
            base[p] = -1; // known once this file was read
        }
        // else: the file before is still being read; its reader's FileFinished assigns this one
    }

    @Override
    public void handleSourceEvent(int subtask, SourceEvent event) {
        if (event instanceof FileFinished f && f.file() == next[f.point()] - 1) {
            base[f.point()] = f.endFrame();
            stopped[f.point()] |= f.stopped();
            assign(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<FileSplit> splits, int subtask) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            if (!splits.get(i).isFinishedMarker()) {
                returned.get(splits.get(i).point()).addFirst(splits.get(i));
            }
        }
    }

    @Override
    public void addReader(int subtask) {
    }

    @Override
    public EnumState snapshotState(long checkpointId) {
        List<FileSplit> back = new ArrayList<>();
        for (Deque<FileSplit> d : returned) {
            back.addAll(d);
        }
        return new EnumState(next.clone(), base.clone(), stopped.clone(), back);
    }

    @Override
    public void close() {
    }
}
