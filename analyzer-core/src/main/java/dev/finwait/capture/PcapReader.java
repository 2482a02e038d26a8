package dev.finwait.capture;

import java.io.IOException;

/**
 * Classic libpcap files (microsecond or nanosecond timestamps, either byte order).
 *
 * <pre>
 * file header (24 bytes)                     record header (16 bytes), then caplen bytes
 * +-------+-----+-----+------+-------+-------+-------+    +--------+----------+--------+--------+
 * | magic | maj | min | zone | sigfig| snap  | link  |    | ts_sec | ts_frac  | caplen | origlen|
 * |  u32  | u16 | u16 | i32  |  u32  |  u32  |  u32  |    |  u32   | us or ns |  u32   |  u32   |
 * +-------+-----+-----+------+-------+-------+-------+    +--------+----------+--------+--------+
 * </pre>
 */
final class PcapReader implements FrameSource {
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private final StreamInput in;
    private final String name;
    private final boolean bigEndian;
    private final boolean nanos;
    private final long snaplen;
    private final int linkType;
    private long number;
    /** Offset after the last frame returned: where a resumed reader starts (see {@link #checkpoint()}). */
    private long after;

    PcapReader(StreamInput in, String name) throws IOException {
        this.in = in;
        this.name = name;
        long start = in.position();
        int got = in.require(FILE_HEADER);
        if (got < FILE_HEADER) {
            throw new CaptureFormatException(start, "truncated pcap file header at offset " + start + ": "
                    + FILE_HEADER + " bytes needed, " + got + " present");
        }
        int magicBe = in.i32(0, true);
        bigEndian = magicBe == MAGIC_MICROS || magicBe == MAGIC_NANOS;
        int magic = in.i32(0, bigEndian);
        nanos = magic == MAGIC_NANOS;
        snaplen = in.u32(16, bigEndian);
        // The upper bits of the link-type field carry FCS information (pcap-linktype(7)).
        linkType = in.i32(20, bigEndian) & 0x03FF_FFFF;
        in.advance(FILE_HEADER);
        after = in.position();
    }

    /** Goes on from a checkpoint: {@code in} starts at its offset, past a header it describes. */
    PcapReader(StreamInput in, String name, ReaderCheckpoint.Pcap header, long frames) {
        this.in = in;
        this.name = name;
        this.bigEndian = header.bigEndian();
        this.nanos = header.nanos();
        this.snaplen = header.snaplen();
        this.linkType = header.linkType();
        this.number = frames;
        this.after = in.position();
    }

    ReaderCheckpoint.Pcap header() {
        return new ReaderCheckpoint.Pcap(bigEndian, nanos, snaplen, linkType);
    }

    @Override
    public ReaderCheckpoint checkpoint() {
        return new ReaderCheckpoint(after, number, in.gzip(), header());
    }

    /** The frame just read by {@link #next()}, through {@link #toFrame}. */
    private Frame last;
    private final FrameVisitor toFrame = (number, time, link, data, offset, caplen, origlen, at) ->
            last = new Frame(number, time, link, data, offset, caplen, origlen, at);

    @Override
    public Frame next() throws IOException {
        last = null;
        next(toFrame);
        return last;
    }

    @Override
    public boolean next(FrameVisitor visitor) throws IOException {
        long at = in.position();
        int got = in.require(RECORD_HEADER);
        if (got == 0) {
            return false;
        }
        if (got < RECORD_HEADER) {
            throw new CaptureFormatException(at, "truncated record header at offset " + at + ": "
                    + RECORD_HEADER + " bytes needed, " + got + " present");
        }
        long seconds = in.u32(0, bigEndian);
        long fraction = in.u32(4, bigEndian);
        long caplen = in.u32(8, bigEndian);
        long origlen = in.u32(12, bigEndian);
        check(at, caplen, origlen);
        in.advance(RECORD_HEADER);
        int len = (int) caplen;
        int present = in.require(len);
        if (present < len) {
            throw new CaptureFormatException(at, "truncated record at offset " + at + ": header says "
                    + len + " bytes, " + present + " present");
        }
        int dataAt = in.windowStart();
        in.advance(len);
        after = at + RECORD_HEADER + len;
        long time = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1_000L);
        visitor.frame(++number, time, linkType, in.buffer(), dataAt, len, (int) Math.min(origlen, Integer.MAX_VALUE), at);
        return true;
    }

    private void check(long at, long caplen, long origlen) {
        if (caplen > CaptureReaders.MAX_FRAME) {
            throw new CaptureFormatException(at, "record at offset " + at + ": captured length " + caplen
                    + " exceeds the " + CaptureReaders.MAX_FRAME + "-byte limit");
        }
        // snaplen 0 is written by some tools for "unlimited".
        if (snaplen != 0 && caplen > snaplen) {
            throw new CaptureFormatException(at, "record at offset " + at + ": captured length " + caplen
                    + " exceeds the snapshot length " + snaplen);
        }
        if (caplen > origlen) {
            throw new CaptureFormatException(at, "record at offset " + at + ": captured length " + caplen
                    + " exceeds the original length " + origlen);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
