package dev.finwait.flink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The command's standard output as a {@link Writer} of whole lines: each string goes out as its UTF-8
 * bytes in one step ({@link String#getBytes}, a copy for ASCII text). Java's OutputStreamWriter
 * widens every line to chars and encodes them again, which was a tenth of the final task's time in a
 * BATCH run of the 1 M capture. Strings and char runs are encoded whole, so write lines, not halves
 * of a surrogate pair.
 */
final class Utf8Writer extends Writer {
    private final OutputStream out;

    /** Buffer {@code out}: each line is one write. */
    Utf8Writer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        write(s.substring(off, off + len));
    }

    @Override
    public void write(int c) throws IOException {
        if (c < 0x80) {
            out.write(c);
        } else {
            write(String.valueOf((char) c));
        }
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        write(new String(chars, off, len));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
