package dev.finwait.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens capture files as {@link FrameSource}s. The format is found from the first bytes: classic
 * pcap (microsecond {@code a1b2c3d4} or nanosecond {@code a1b23c4d} magic, either byte order),
 * pcapng ({@code 0a0d0d0a}), or gzip ({@code 1f8b}, unwrapped and detected again). Reading streams
 * through a fixed buffer: memory does not grow with the file, and a frame's bytes are a view of that
 * buffer, valid until the next call.
 *
 * <p>Bad input raises {@link CaptureFormatException} with one line naming the byte offset (in the
 * uncompressed stream) and the cause, after every good frame before it was returned. An unknown
 * link type is not an error here: the frame is returned and the decoder reports it. Timestamps that
 * go backwards are not an error either. The messages ({@code N}, {@code L}... stand for numbers):
 *
 * <table>
 * <caption>Format errors</caption>
 * <tr><th>cause</th><th>message</th></tr>
 * <tr><td>empty input</td><td>{@code empty input: no capture header at offset 0}</td></tr>
 * <tr><td>fewer than 4 bytes</td><td>{@code truncated capture header at offset 0: 4 bytes needed, N present}</td></tr>
 * <tr><td>unknown magic (text, random bytes)</td><td>{@code not a capture at offset 0: unknown magic 0x48454c4c (expected pcap, pcapng or gzip)}</td></tr>
 * <tr><td>short pcap file header</td><td>{@code truncated pcap file header at offset 0: 24 bytes needed, N present}</td></tr>
 * <tr><td>short record header</td><td>{@code truncated record header at offset N: 16 bytes needed, N present}</td></tr>
 * <tr><td>caplen over the 256 KiB cap</td><td>{@code record at offset N: captured length N exceeds the 262144-byte limit}</td></tr>
 * <tr><td>caplen over the snaplen (if not 0)</td><td>{@code record at offset N: captured length N exceeds the snapshot length N}</td></tr>
 * <tr><td>caplen over the original length</td><td>{@code record at offset N: captured length N exceeds the original length N}</td></tr>
 * <tr><td>last record cut short (tcpdump killed)</td><td>{@code truncated record at offset N: header says N bytes, N present}</td></tr>
 * <tr><td>short pcapng block header</td><td>{@code truncated pcapng block header at offset N: 8 bytes needed, N present}</td></tr>
 * <tr><td>pcapng block cut short</td><td>{@code truncated pcapng block at offset N: header says L bytes, N present}</td></tr>
 * <tr><td>block length under 12</td><td>{@code pcapng block at offset N: total length L is smaller than the 12-byte minimum}</td></tr>
 * <tr><td>block length not a multiple of 4</td><td>{@code pcapng block at offset N: total length L is not a multiple of 4}</td></tr>
 * <tr><td>block length over the cap (packet blocks)</td><td>{@code pcapng block at offset N: total length L exceeds the 327680-byte limit}</td></tr>
 * <tr><td>trailing length differs</td><td>{@code pcapng block at offset N: trailing length T does not match leading length L}</td></tr>
 * <tr><td>section header cut before its byte-order magic</td><td>{@code truncated pcapng section header at offset N: 12 bytes needed, N present}</td></tr>
 * <tr><td>packet block too small for its fields</td><td>{@code pcapng packet block at offset N: total length L is smaller than the 32-byte minimum} (16 for a simple packet block)</td></tr>
 * <tr><td>bad byte-order magic</td><td>{@code pcapng section header at offset N: bad byte-order magic 0x12345678}</td></tr>
 * <tr><td>IDB under 20 bytes</td><td>{@code pcapng interface description block at offset N: total length L is smaller than the 20-byte minimum}</td></tr>
 * <tr><td>packet block before any IDB</td><td>{@code pcapng packet block at offset N: packet before any interface description block}</td></tr>
 * <tr><td>interface id out of range</td><td>{@code pcapng packet block at offset N: interface id I out of range (K interfaces described)}</td></tr>
 * <tr><td>EPB caplen over the block</td><td>{@code pcapng packet block at offset N: captured length C overruns the block length L}</td></tr>
 * <tr><td>EPB caplen over the cap / original length</td><td>as for pcap records, prefixed {@code pcapng packet block at offset N:}</td></tr>
 * <tr><td>corrupt gzip</td><td>{@code corrupt gzip data at uncompressed offset N: <inflater message>}</td></tr>
 * </table>
 *
 * <p>With gzip, a corruption can hide the good frames decompressed in the same read chunk as the
 * corrupt bytes (the inflater fails the whole read).
 */
public final class CaptureReaders {
    /** Hard cap on one frame: larger than any real link MTU or libpcap's 262144-byte default snaplen. */
    public static final int MAX_FRAME = 256 * 1024;

    private static final int READ_BUFFER = 64 * 1024;

    private CaptureReaders() {
    }

    /**
     * Opens one capture file: pcap or pcapng, gzip-compressed or not (told by the magic number).
     *
     * @param path the file; {@code -} reads standard input
     * @return the frames, read as they are asked for
     * @throws IOException when the file cannot be read or is not a capture ({@link CaptureFormatException})
     */
    public static FrameSource open(Path path) throws IOException {
        if (path.toString().equals("-")) {
            return open(System.in, "-");
        }
        InputStream in = Files.newInputStream(path);
        try {
            return open(in, path.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads a capture from a stream (closed with the source).
     *
     * @param in   pcap or pcapng bytes, gzip-compressed or not
     * @param name the name used in messages ("-" for standard input)
     * @return the frames, read as they are asked for
     * @throws IOException when the stream cannot be read or is not a capture ({@link CaptureFormatException})
     */
    public static FrameSource open(InputStream in, String name) throws IOException {
        return detect(in, name, false, StreamInput.INITIAL, null);
    }

    /**
     * For tests: the reader's buffer starts at {@code bufferSize} bytes (records then cross its end at
     * other places), and {@code onCompact}, if not null, is told where the buffer ended each time its
     * unread bytes moved to the front.
     */
    static FrameSource open(InputStream in, String name, int bufferSize, java.util.function.LongConsumer onCompact)
            throws IOException {
        return detect(in, name, false, bufferSize, onCompact);
    }

    /**
     * Opens several files as one stream merged by timestamp (a rotated {@code tcpdump -C} set),
     * with frame numbers counted across the merged stream; ties go to the earlier file in the list.
     * With more than one file, format errors are prefixed with the file's name ({@code a.pcap: ...}):
     * a bad header fails here, a bad record once every good frame of every file was returned.
     *
     * @param paths the files, at least one
     * @return the frames of all of them, in time order
     * @throws IOException when a file cannot be read or is not a capture
     */
    public static FrameSource openAll(List<Path> paths) throws IOException {
        if (paths.size() == 1) {
            return open(paths.get(0));
        }
        List<FrameSource> sources = new ArrayList<>();
        try {
            for (Path p : paths) {
                try {
                    sources.add(open(p));
                } catch (CaptureFormatException e) {
                    throw new CaptureFormatException(e.offset(), p + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (FrameSource s : sources) {
                s.close();
            }
            throw e;
        }
        return new MergedFrameSource(sources);
    }

    /**
     * Opens {@code path} at a checkpoint another reader of the same file took ({@link FrameSource#checkpoint()}):
     * the frames from there are the ones that reader would have gone on to give, numbered on from the
     * checkpoint's. A plain file is entered at the offset; a gzip file is inflated again from its start.
     * A checkpoint that does not fit the file (another format, another pcap header, an offset past the
     * end) is a {@link CaptureFormatException}; standard input cannot be read again and is refused.
     */
    public static FrameSource resume(Path path, ReaderCheckpoint at) throws IOException {
        if (path.toString().equals("-")) {
            throw new IllegalArgumentException("standard input cannot be resumed: it cannot be read again");
        }
        InputStream in = Files.newInputStream(path);
        try {
            return resume(in, path.toString(), at);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * As {@link #resume(Path, ReaderCheckpoint)}, for a stream that reads the whole file from its first
     * byte (closed with the source): it is skipped to the checkpoint, which for a file stream is a seek.
     */
    public static FrameSource resume(InputStream raw, String name, ReaderCheckpoint at) throws IOException {
        PushbackInputStream magic = new PushbackInputStream(raw, 2);
        byte[] two = magic.readNBytes(2);
        magic.unread(two);
        boolean gzip = two.length == 2 && (two[0] & 0xFF) == 0x1F && (two[1] & 0xFF) == 0x8B;
        if (gzip != at.gzip()) {
            throw misfit(name, at, gzip ? "it is gzip-compressed" : "it is not gzip-compressed");
        }
        PushbackInputStream in = new PushbackInputStream(gzip ? gunzip(magic) : magic, PcapReader.FILE_HEADER);
        byte[] head = readHead(in, gzip);
        in.unread(head);
        int m = head.length < 4 ? 0 : ByteBuffer.wrap(head).getInt();
        if (at.format() instanceof ReaderCheckpoint.Pcapng != (m == PcapngReader.SECTION_HEADER)) {
            throw misfit(name, at, "it is not a " + (m == PcapngReader.SECTION_HEADER ? "pcap" : "pcapng") + " file");
        }
        if (at.format() instanceof ReaderCheckpoint.Pcap header) {
            ReaderCheckpoint.Pcap own;
            try {
                own = new PcapReader(new StreamInput(new java.io.ByteArrayInputStream(head), false), name).header();
            } catch (CaptureFormatException e) {
                throw misfit(name, at, e.getMessage());
            }
            if (!own.equals(header)) {
                throw misfit(name, at, "its pcap header says " + own);
            }
        }
        long skipped = skip(in, at.offset(), gzip);
        if (skipped < at.offset()) {
            throw new CaptureFormatException(skipped, name + ": the checkpoint's offset " + at.offset()
                    + " is past the end of the " + (gzip ? "uncompressed " : "") + "file (" + skipped + " bytes)");
        }
        StreamInput input = new StreamInput(in, gzip, StreamInput.INITIAL, at.offset());
        if (at.format() instanceof ReaderCheckpoint.Pcap header) {
            return new PcapReader(input, name, header, at.frames());
        }
        return new PcapngReader(input, name, (ReaderCheckpoint.Pcapng) at.format(), at.frames());
    }

    private static CaptureFormatException misfit(String name, ReaderCheckpoint at, String why) {
        String kind = (at.gzip() ? "gzip-compressed " : "") + (at.format() instanceof ReaderCheckpoint.Pcap ? "pcap" : "pcapng");
        return new CaptureFormatException(0, name + ": the checkpoint was taken from a " + kind + " file that differs: " + why);
    }

    private static byte[] readHead(InputStream in, boolean gzip) throws IOException {
        try {
            return in.readNBytes(PcapReader.FILE_HEADER);
        } catch (ZipException | java.io.EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw corruptGzip(e);
        }
    }

    /**
     * Skips up to {@code n} bytes; fewer only at the end of the stream. A file stream seeks; gzip is
     * inflated through a buffer of our own (its skip inflates 512 bytes a call).
     */
    private static long skip(InputStream in, long n, boolean gzip) throws IOException {
        long done = 0;
        byte[] scratch = gzip ? new byte[READ_BUFFER] : null;
        try {
            while (done < n) {
                long s = gzip ? in.read(scratch, 0, (int) Math.min(scratch.length, n - done)) : in.skip(n - done);
                if (s == 0 || (s < 0 && !gzip)) {
                    // skip may stop short of the end: one read tells the end from a pause
                    s = in.read() < 0 ? -1 : 1;
                }
                if (s < 0) {
                    break;
                }
                done += s;
            }
        } catch (ZipException | java.io.EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw new CaptureFormatException(done, "corrupt gzip data at uncompressed offset " + done + ": " + e.getMessage(), e);
        }
        return done;
    }

    private static FrameSource detect(InputStream raw, String name, boolean gzip, int bufferSize,
                                      java.util.function.LongConsumer onCompact) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 4);
        byte[] head = new byte[4];
        int got = readMagic(in, head, gzip);
        if (got == 0) {
            throw new CaptureFormatException(0, "empty input: no capture header at offset 0");
        }
        in.unread(head, 0, got);
        if (got >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return detect(gunzip(in), name, true, bufferSize, onCompact);
        }
        if (got < 4) {
            throw new CaptureFormatException(0, "truncated capture header at offset 0: 4 bytes needed, "
                    + got + " present");
        }
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        StreamInput input = new StreamInput(in, gzip, bufferSize, 0);
        input.onCompact(onCompact);
        if (magic == PcapngReader.SECTION_HEADER) {
            return new PcapngReader(input, name);
        }
        for (int m : new int[] {PcapReader.MAGIC_MICROS, PcapReader.MAGIC_NANOS}) {
            if (magic == m || magic == Integer.reverseBytes(m)) {
                return new PcapReader(input, name);
            }
        }
        throw new CaptureFormatException(0, "not a capture at offset 0: unknown magic 0x"
                + String.format("%08x", magic) + " (expected pcap, pcapng or gzip)");
    }

    private static int readMagic(InputStream in, byte[] head, boolean gzip) throws IOException {
        int got = 0;
        try {
            while (got < head.length) {
                int r = in.read(head, got, head.length - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (ZipException | java.io.EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw corruptGzip(e);
        }
        return got;
    }

    private static InputStream gunzip(InputStream in) throws IOException {
        try {
            return new GZIPInputStream(in, READ_BUFFER);
        } catch (ZipException | java.io.EOFException e) {
            throw corruptGzip(e);
        }
    }

    private static CaptureFormatException corruptGzip(IOException e) {
        return new CaptureFormatException(0, "corrupt gzip data at uncompressed offset 0: " + e.getMessage(), e);
    }
}
