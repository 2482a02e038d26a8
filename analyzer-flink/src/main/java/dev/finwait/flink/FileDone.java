package dev.finwait.flink;

import dev.finwait.model.DecodeProblem;
import java.util.Map;

/**
 * What one capture file contributed to the summary, sent by the source when the file was read.
 *
 * @param endFrame   the global number of the file's last frame (the next file of the point starts after it)
 * @param lastNanos  the latest packet time in the file, Long.MIN_VALUE if it had none
 * @param inputError the format error that ended the reading, or null
 */
record FileDone(int point, int file, String name, long frames, long endFrame, long tcpSegments, long malformed,
                long nonTcp, Map<DecodeProblem, Long> problems, long lastNanos, String inputError) {
    FileDone {
        problems = Map.copyOf(problems);
    }
}
