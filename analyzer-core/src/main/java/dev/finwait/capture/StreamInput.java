package dev.finwait.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A forward-only window over an input stream with its own buffer, so readers can parse headers and
 * hand out frames as views of the buffer (no copy, no per-frame allocation). Tracks the offset in
 * the (uncompressed) stream. A window is valid until the next {@link #require} or {@link #skip}. The
 * buffer grows (up to {@link #CAPACITY}) only when a record needs it, then stays: no steady-state allocation.
 */
final class StreamInput implements Closeable {
    /** Large enough for any record we accept (the 256 KiB cap) plus headers, so a window always fits. */
    static final int CAPACITY = 512 * 1024;
    /** Where the buffer starts: big enough for efficient reads, small enough for many open files. */
    private static final int INITIAL = 64 * 1024;

    private final InputStream in;
    private final boolean gzip;
    private byte[] buf = new byte[INITIAL];
    private int pos;
    private int limit;
    private long bufStart;
    private boolean eof;

    StreamInput(InputStream in, boolean gzip) {
        this.in = in;
        this.gzip = gzip;
    }

    byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the next unread byte. */
    int pos() {
        return pos;
    }

    /** Stream offset of the next unread byte. */
    long position() {
        return bufStart + pos;
    }

    /**
     * Makes up to {@code n} (at most {@link #CAPACITY}) bytes readable from {@link #pos()} and
     * returns how many are: fewer than {@code n} only at the end of the stream.
     */
    int require(int n) throws IOException {
        if (n > CAPACITY) {
            throw new IllegalArgumentException("window of " + n + " bytes exceeds the buffer");
        }
        if (limit - pos >= n) {
            return n;
        }
        if (pos + n > buf.length) {
            compact();
            if (n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(CAPACITY, Math.max(n, 2 * buf.length)));
            }
        }
        while (limit - pos < n && !eof) {
            int r = read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return Math.min(n, limit - pos);
    }

    /** Consumes {@code n} bytes that {@link #require} made readable. */
    void advance(int n) {
        pos += n;
    }

    /** Skips {@code n} bytes, reading through the stream; returns how many were skipped. */
    long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int chunk = (int) Math.min(n - done, buf.length);
            int got = require(chunk);
            pos += got;
            done += got;
            if (got < chunk) {
                break;
            }
        }
        return done;
    }

    private void compact() {
        int remaining = limit - pos;
        System.arraycopy(buf, pos, buf, 0, remaining);
        bufStart += pos;
        pos = 0;
        limit = remaining;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        if (!gzip) {
            return in.read(b, off, len);
        }
        try {
            return in.read(b, off, len);
        } catch (ZipException | EOFException e) {
            throw new CaptureFormatException(bufStart + limit,
                    "corrupt gzip data at uncompressed offset " + (bufStart + limit) + ": " + e.getMessage(), e);
        }
    }

    int u16(int at, boolean bigEndian) {
        int a = buf[at] & 0xFF;
        int b = buf[at + 1] & 0xFF;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    int i32(int at, boolean bigEndian) {
        int a = buf[at] & 0xFF;
        int b = buf[at + 1] & 0xFF;
        int c = buf[at + 2] & 0xFF;
        int d = buf[at + 3] & 0xFF;
        return bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : (d << 24) | (c << 16) | (b << 8) | a;
    }

    long u32(int at, boolean bigEndian) {
        return i32(at, bigEndian) & 0xFFFF_FFFFL;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
