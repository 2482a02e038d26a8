package dev.finwait.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng files (draft-ietf-opsawg-pcapng): every block is
 *
 * <pre>
 * +------------+--------------+-------------------------+--------------+
 * | type (u32) | length (u32) | body (padded to 32 bits)| length (u32) |
 * +------------+--------------+-------------------------+--------------+
 * </pre>
 *
 * Byte order is set by each section header block; interfaces are numbered per section. Enhanced,
 * simple and obsolete packet blocks become frames; every other block is skipped by its length.
 */
final class PcapngReader implements FrameSource {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int MIN_BLOCK = 12;
    /** The largest block we buffer: a maximal frame plus generous room for options. */
    static final int MAX_BLOCK = CaptureReaders.MAX_FRAME + 64 * 1024;
    private static final int OPT_TSRESOL = 9;
    private static final int OPT_TSOFFSET = 14;

    private final StreamInput in;
    private final String name;
    /** This section's interfaces: only appended to, and replaced (not cleared) by a new section, for {@link #checkpoint()}. */
    private List<PcapngInterface> interfaces = new ArrayList<>();
    private boolean bigEndian;
    private long number;
    private long lastTime;
    /* What the reader knew after the last frame it returned: the checkpoint, cheap to keep per frame. */
    private long after;
    private boolean afterBigEndian;
    private List<PcapngInterface> afterInterfaces = interfaces;
    private int afterInterfaceCount;

    PcapngReader(StreamInput in, String name) {
        this.in = in;
        this.name = name;
        this.after = in.position();
    }

    /** Goes on from a checkpoint: {@code in} starts at its offset, inside the section it describes. */
    PcapngReader(StreamInput in, String name, ReaderCheckpoint.Pcapng section, long frames) {
        this(in, name);
        bigEndian = section.bigEndian();
        interfaces.addAll(section.interfaces());
        lastTime = section.lastTimeNanos();
        number = frames;
        afterBigEndian = bigEndian;
        afterInterfaceCount = interfaces.size();
    }

    @Override
    public ReaderCheckpoint checkpoint() {
        ReaderCheckpoint.Pcapng section = new ReaderCheckpoint.Pcapng(afterBigEndian,
                afterInterfaces.subList(0, afterInterfaceCount), lastTime);
        return new ReaderCheckpoint(after, number, in.gzip(), section);
    }

    @Override
    public Frame next() throws IOException {
        while (true) {
            long at = in.position();
            int got = in.require(8);
            if (got == 0) {
                return null;
            }
            if (got < 8) {
                throw new CaptureFormatException(at, "truncated pcapng block header at offset " + at
                        + ": 8 bytes needed, " + got + " present");
            }
            int type = in.i32(0, bigEndian);
            if (type == SECTION_HEADER) {
                readByteOrder(at);
            }
            long length = in.u32(4, bigEndian);
            checkLength(at, length);
            if (!isBuffered(type)) {
                skipBlock(at, length);
                continue;
            }
            if (length > MAX_BLOCK) {
                throw new CaptureFormatException(at, "pcapng block at offset " + at + ": total length " + length
                        + " exceeds the " + MAX_BLOCK + "-byte limit");
            }
            int len = (int) length;
            int present = in.require(len);
            if (present < len) {
                throw new CaptureFormatException(at, "truncated pcapng block at offset " + at + ": header says "
                        + len + " bytes, " + present + " present");
            }
            checkTrailer(at, len - 4, len);
            Frame frame = switch (type) {
                case SECTION_HEADER -> sectionHeader();
                case INTERFACE_DESCRIPTION -> interfaceDescription(at, len);
                case ENHANCED_PACKET -> packet(at, len, in.u32(8, bigEndian));
                case OBSOLETE_PACKET -> packet(at, len, in.u16(8, bigEndian));
                default -> simplePacket(at, len);
            };
            in.advance(len);
            if (frame != null) {
                after = at + len;
                afterBigEndian = bigEndian;
                afterInterfaces = interfaces;
                afterInterfaceCount = interfaces.size();
                return frame;
            }
        }
    }

    private static boolean isBuffered(int type) {
        return type == SECTION_HEADER || type == INTERFACE_DESCRIPTION || type == ENHANCED_PACKET
                || type == OBSOLETE_PACKET || type == SIMPLE_PACKET;
    }

    private void readByteOrder(long at) throws IOException {
        int got = in.require(12);
        if (got < 12) {
            throw new CaptureFormatException(at, "truncated pcapng section header at offset " + at
                    + ": 12 bytes needed, " + got + " present");
        }
        int magic = in.i32(8, true);
        if (magic == BYTE_ORDER_MAGIC) {
            bigEndian = true;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            bigEndian = false;
        } else {
            throw new CaptureFormatException(at, "pcapng section header at offset " + at
                    + ": bad byte-order magic 0x" + String.format("%08x", magic));
        }
    }

    private void checkLength(long at, long length) {
        if (length < MIN_BLOCK) {
            throw new CaptureFormatException(at, "pcapng block at offset " + at + ": total length " + length
                    + " is smaller than the " + MIN_BLOCK + "-byte minimum");
        }
        if (length % 4 != 0) {
            throw new CaptureFormatException(at, "pcapng block at offset " + at + ": total length " + length
                    + " is not a multiple of 4");
        }
    }

    /** {@code trailerAt}: where the trailing length is, relative to the next unread byte. */
    private void checkTrailer(long at, int trailerAt, long length) {
        long trailer = in.u32(trailerAt, bigEndian);
        if (trailer != length) {
            throw new CaptureFormatException(at, "pcapng block at offset " + at + ": trailing length " + trailer
                    + " does not match leading length " + length);
        }
    }

    /** Blocks we do not interpret may be large (name resolution, custom): stream past them. */
    private void skipBlock(long at, long length) throws IOException {
        long body = length - 4;
        long skipped = in.skip(body);
        int got = skipped < body ? 0 : in.require(4);
        if (got < 4) {
            throw new CaptureFormatException(at, "truncated pcapng block at offset " + at + ": header says "
                    + length + " bytes, " + (skipped + got) + " present");
        }
        checkTrailer(at, 0, length);
        in.advance(4);
    }

    private Frame sectionHeader() {
        interfaces = new ArrayList<>();
        return null;
    }

    /*
     * +-----------+----------+-------------+---------+
     * | link u16  | rsvd u16 | snaplen u32 | options |
     * +-----------+----------+-------------+---------+
     */
    private Frame interfaceDescription(long at, int len) {
        if (len < 20) {
            throw new CaptureFormatException(at, "pcapng interface description block at offset " + at
                    + ": total length " + len + " is smaller than the 20-byte minimum");
        }
        int linkType = in.u16(8, bigEndian);
        long snaplen = in.u32(12, bigEndian);
        int resolution = PcapngInterface.DEFAULT_RESOLUTION;
        long offset = 0;
        int opt = 16;
        int end = len - 4;
        while (opt + 4 <= end) {
            int code = in.u16(opt, bigEndian);
            int optLen = in.u16(opt + 2, bigEndian);
            int value = opt + 4;
            if (code == 0 || value + optLen > end) {
                break;
            }
            if (code == OPT_TSRESOL && optLen >= 1) {
                resolution = in.u8(value);
            } else if (code == OPT_TSOFFSET && optLen >= 8) {
                offset = in.i64(value, bigEndian);
            }
            opt = value + ((optLen + 3) & ~3);
        }
        interfaces.add(new PcapngInterface(linkType, snaplen, resolution, offset));
        return null;
    }

    /*
     * enhanced (6) and obsolete (2) packet blocks, after type and length:
     * +------------------------------+---------+--------+--------+---------+------+---------+
     * | interface u32 (EPB) or       | ts high | ts low | caplen | origlen | data | options |
     * | interface u16 + drops u16    |   u32   |  u32   |  u32   |   u32   |      |         |
     * +------------------------------+---------+--------+--------+---------+------+---------+
     */
    private Frame packet(long at, int len, long interfaceId) {
        if (len < 32) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": total length " + len
                    + " is smaller than the 32-byte minimum");
        }
        PcapngInterface iface = iface(at, interfaceId);
        long units = (in.u32(12, bigEndian) << 32) | in.u32(16, bigEndian);
        long caplen = in.u32(20, bigEndian);
        long origlen = in.u32(24, bigEndian);
        if (caplen > CaptureReaders.MAX_FRAME) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": captured length "
                    + caplen + " exceeds the " + CaptureReaders.MAX_FRAME + "-byte limit");
        }
        if (28 + caplen + 4 > len) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": captured length "
                    + caplen + " overruns the block length " + len);
        }
        if (caplen > origlen) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": captured length "
                    + caplen + " exceeds the original length " + origlen);
        }
        lastTime = iface.nanos(units);
        return new Frame(++number, lastTime, iface.linkType(), in.buffer(), in.windowStart() + 28, (int) caplen,
                (int) origlen, at);
    }

    /*
     * simple packet block (3): no interface id (always 0) and no timestamp; the captured length is
     * the original length cut to interface 0's snaplen (pcapng 4.4).
     * +---------+------+
     * | origlen | data |
     * +---------+------+
     */
    private Frame simplePacket(long at, int len) {
        if (len < 16) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": total length " + len
                    + " is smaller than the 16-byte minimum");
        }
        PcapngInterface iface = iface(at, 0);
        long origlen = in.u32(8, bigEndian);
        long caplen = Math.min(origlen, len - 16);
        if (iface.snaplen() != 0) {
            caplen = Math.min(caplen, iface.snaplen());
        }
        caplen = Math.min(caplen, CaptureReaders.MAX_FRAME);
        // No timestamp on the wire: keep the previous packet's time so the stream stays ordered.
        return new Frame(++number, lastTime, iface.linkType(), in.buffer(), in.windowStart() + 12, (int) caplen,
                (int) Math.min(origlen, Integer.MAX_VALUE), at);
    }

    private PcapngInterface iface(long at, long id) {
        if (interfaces.isEmpty()) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at
                    + ": packet before any interface description block");
        }
        if (id >= interfaces.size()) {
            throw new CaptureFormatException(at, "pcapng packet block at offset " + at + ": interface id " + id
                    + " out of range (" + interfaces.size() + " interfaces described)");
        }
        return interfaces.get((int) id);
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
