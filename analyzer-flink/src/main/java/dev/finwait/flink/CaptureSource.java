package dev.finwait.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Capture files as a FLIP-27 source: a split is one file; each capture point's files are read one
 * after another, in rotation order, by the reader of the same index (run it with as many readers as
 * points), so that every connection's packets reach the analysis in capture order and frames are
 * numbered on across the point's files as one capture would number them.
 */
final class CaptureSource implements Source<Item, FileSplit, EnumState> {
    private static final long serialVersionUID = 1L;
    private final List<List<String>> points;
    private final boolean verifyChecksums;
    private final int[] routes;

    /**
     * {@code points}: per capture point, its files in rotation order; {@code routes}: the keys under
     * which each file's totals go out, one copy each ({@link Job#routes}).
     */
    CaptureSource(List<List<String>> points, boolean verifyChecksums, int[] routes) {
        List<List<String>> copy = new ArrayList<>();
        for (List<String> p : points) {
            copy.add(new ArrayList<>(p));
        }
        this.points = copy;
        this.verifyChecksums = verifyChecksums;
        this.routes = routes.length == 0 ? new int[] {Key.CONTROL.point()} : routes.clone();
    }

    int points() {
        return points.size();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<FileSplit, EnumState> createEnumerator(SplitEnumeratorContext<FileSplit> context) {
        int n = points.size();
        long[] base = new long[n]; // every point starts at frame 0
        return new CaptureEnumerator(context, points, new EnumState(new int[n], base, new boolean[n], List.of()));
    }

    @Override
    public SplitEnumerator<FileSplit, EnumState> restoreEnumerator(SplitEnumeratorContext<FileSplit> context,
                                                                   EnumState state) {
        return new CaptureEnumerator(context, points, state);
    }

    @Override
    public SimpleVersionedSerializer<FileSplit> getSplitSerializer() {
        return new SplitBytes.Splits();
    }

    @Override
    public SimpleVersionedSerializer<EnumState> getEnumeratorCheckpointSerializer() {
        return new SplitBytes.States();
    }

    @Override
    public SourceReader<Item, FileSplit> createReader(SourceReaderContext context) {
        return new CaptureReader(context, verifyChecksums, routes);
    }
}
