package dev.finwait.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Between the report writers and standard output when stdout and stderr are the same terminal: the
 * progress line is erased before report bytes are written, and only whole lines go through (a partial
 * one waits for its end), so the bar redrawn after them starts on a line of its own and never lands
 * inside a report line.
 */
final class LineGate extends OutputStream {
    private final OutputStream out;
    private final Progress progress;
    /** The unfinished line at the end of what was written so far. */
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();

    LineGate(OutputStream out, Progress progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int lastNewline = -1;
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            tail.write(b, off, len);
            return;
        }
        synchronized (progress) {
            progress.erase();
            if (tail.size() > 0) {
                tail.writeTo(out);
                tail.reset();
            }
            out.write(b, off, lastNewline + 1 - off);
            out.flush();
        }
        tail.write(b, lastNewline + 1, off + len - lastNewline - 1);
    }

    @Override
    public void flush() throws IOException {
        synchronized (progress) {
            if (tail.size() > 0) {
                progress.erase();
                tail.writeTo(out);
                tail.reset();
            }
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
