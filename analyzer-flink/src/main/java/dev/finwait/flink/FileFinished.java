package dev.finwait.flink;

import org.apache.flink.api.connector.source.SourceEvent;

/** Reader to enumerator: file {@code file} of {@code point} ended at global frame {@code endFrame}. */
record FileFinished(int point, int file, long endFrame, boolean stopped) implements SourceEvent {
}
