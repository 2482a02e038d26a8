package dev.finwait.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A forward-only window over an input stream with its own buffer, so readers can parse headers and
 * hand out frames as views of the buffer (no copy, no per-frame allocation). Tracks the offset in
 * the (uncompressed) stream. The buffer grows (up to {@link #CAPACITY}) only when a record needs it,
 * then stays: no steady-state allocation.
 *
 * <p>The window starts at the next unread byte, and the accessors ({@link #u16}, {@link #u32}, ...)
 * take offsets relative to it, never buffer indices: {@link #require} may move the unread bytes to
 * the front of the buffer, so an index taken before it would point at other bytes, or past the end
 * (issue 17: a pcapng block crossing the first 64 KiB read the interface id from a stale index).
 * The one buffer index handed out, {@link #windowStart()}, is for a frame's bytes after the last
 * {@code require} of its record; it is valid until the next {@code require} or {@link #skip}.
 */
final class StreamInput implements Closeable {
    /** Large enough for any record we accept (the 256 KiB cap) plus headers, so a window always fits. */
    static final int CAPACITY = 512 * 1024;
    /** Where the buffer starts: big enough for efficient reads, small enough for many open files. */
    static final int INITIAL = 64 * 1024;

    private final InputStream in;
    private final boolean gzip;
    private byte[] buf;
    private int pos;
    private int limit;
    private long bufStart;
    private boolean eof;
    /** Test hook: told the stream offset at which the buffer ends each time the unread bytes move to the front. */
    private java.util.function.LongConsumer onCompact;

    StreamInput(InputStream in, boolean gzip) {
        this(in, gzip, INITIAL, 0);
    }

    /**
     * @param initial   the buffer's starting size (tests make it small so records cross its end)
     * @param startedAt the stream offset of the first byte {@code in} gives (a reader resumed mid-file)
     */
    StreamInput(InputStream in, boolean gzip, int initial, long startedAt) {
        this.in = in;
        this.gzip = gzip;
        this.buf = new byte[initial];
        this.bufStart = startedAt;
    }

    void onCompact(java.util.function.LongConsumer hook) {
        this.onCompact = hook;
    }

    boolean gzip() {
        return gzip;
    }

    byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the next unread byte: only for a frame's bytes (see the class comment). */
    int windowStart() {
        return pos;
    }

    /** Stream offset of the next unread byte. */
    long position() {
        return bufStart + pos;
    }

    /**
     * Makes up to {@code n} (at most {@link #CAPACITY}) bytes readable from the next unread byte and
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
        if (onCompact != null) {
            onCompact.accept(bufStart + buf.length);
        }
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

    /* The accessors read {@code at} bytes after the next unread byte, inside what require made readable. */

    int u8(int at) {
        return buf[pos + at] & 0xFF;
    }

    int u16(int at, boolean bigEndian) {
        int i = pos + at;
        int a = buf[i] & 0xFF;
        int b = buf[i + 1] & 0xFF;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    int i32(int at, boolean bigEndian) {
        int i = pos + at;
        int a = buf[i] & 0xFF;
        int b = buf[i + 1] & 0xFF;
        int c = buf[i + 2] & 0xFF;
        int d = buf[i + 3] & 0xFF;
        return bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : (d << 24) | (c << 16) | (b << 8) | a;
    }

    long u32(int at, boolean bigEndian) {
        return i32(at, bigEndian) & 0xFFFF_FFFFL;
    }

    long i64(int at, boolean bigEndian) {
        long first = u32(at, bigEndian);
        long second = u32(at + 4, bigEndian);
        return bigEndian ? (first << 32) | second : (second << 32) | first;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
