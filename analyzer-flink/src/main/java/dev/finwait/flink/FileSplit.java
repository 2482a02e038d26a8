package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import dev.finwait.capture.ReaderCheckpoint;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One capture file of one capture point, and how far it was read: the reader's own checkpoint (null
 * before the first frame) and what the frames before it added to the file's totals.
 *
 * @param frameBase the global number of the frame before the file's first (the files before it held that many)
 */
record FileSplit(int point, int file, String path, long frameBase, ReaderCheckpoint at, long tcpSegments,
                 long malformed, long nonTcp, Map<DecodeProblem, Long> problems, long lastNanos) implements SourceSplit {
    FileSplit {
        problems = Map.copyOf(problems);
    }

    static FileSplit start(int point, int file, String path, long frameBase) {
        return new FileSplit(point, file, path, frameBase, null, 0, 0, 0, Map.of(), Long.MIN_VALUE);
    }

    /**
     * Not a file to read: in the reader's saved state, the {@link FileFinished} of the file it read
     * last. The enumerator takes its checkpoint before the readers take theirs, so that event may be
     * in neither; a restored reader sends it again (the enumerator ignores one it already had).
     */
    static FileSplit finishedMarker(FileFinished f) {
        return new FileSplit(f.point(), f.file(), "", f.endFrame(), null, f.stopped() ? 1 : 0, 0, 0, Map.of(),
                Long.MIN_VALUE);
    }

    boolean isFinishedMarker() {
        return path.isEmpty();
    }

    FileFinished finished() {
        return new FileFinished(point, file, frameBase, tcpSegments != 0);
    }

    @Override
    public String splitId() {
        return isFinishedMarker() ? point + ":" + file + ":finished" : point + ":" + file;
    }
}
