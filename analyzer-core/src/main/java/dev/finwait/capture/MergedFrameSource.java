package dev.finwait.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several captures read as one, in timestamp order (ties go to the earlier file in the list), with
 * frame numbers renumbered across the merged stream. Each file's frame stays a view of its own
 * reader's buffer until that reader is advanced, so merging copies no packet bytes.
 *
 * <p>A format error in one file ends that file only; it is raised, prefixed with the file's name,
 * once every good frame of every file has been returned.
 */
final class MergedFrameSource implements FrameSource {
    private final List<FrameSource> sources;
    private final Frame[] heads;
    private final String name;
    private int advance = -1;
    private boolean started;
    private long number;
    private CaptureFormatException firstError;

    MergedFrameSource(List<FrameSource> sources) {
        this.sources = List.copyOf(sources);
        this.heads = new Frame[sources.size()];
        List<String> names = new ArrayList<>();
        sources.forEach(s -> names.add(s.name()));
        this.name = String.join(",", names);
    }

    @Override
    public Frame next() throws IOException {
        if (!started) {
            started = true;
            for (int i = 0; i < heads.length; i++) {
                pull(i);
            }
        } else if (advance >= 0) {
            pull(advance);
        }
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (heads[i] != null && (best < 0 || heads[i].timeNanos() < heads[best].timeNanos())) {
                best = i;
            }
        }
        advance = best;
        if (best < 0) {
            if (firstError != null) {
                CaptureFormatException e = firstError;
                firstError = null;
                throw e;
            }
            return null;
        }
        Frame f = heads[best];
        return new Frame(++number, f.timeNanos(), f.linkType(), f.data(), f.offset(), f.capturedLength(),
                f.originalLength(), f.fileOffset());
    }

    private void pull(int i) throws IOException {
        try {
            heads[i] = sources.get(i).next();
        } catch (CaptureFormatException e) {
            heads[i] = null;
            if (firstError == null) {
                firstError = new CaptureFormatException(e.offset(), sources.get(i).name() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FrameSource s : sources) {
            try {
                s.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
