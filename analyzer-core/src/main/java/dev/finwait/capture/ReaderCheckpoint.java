package dev.finwait.capture;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a capture file reader stands after the frame it last returned, with what the headers before
 * that point told it, so that {@link CaptureReaders#resume} gives the rest of the file exactly as the
 * first reader would have: the same frames, numbered on from {@link #frames()}.
 *
 * <p>A gzip file cannot be entered in the middle (deflate keeps no restart points), so the offset is
 * in the uncompressed stream and resuming inflates the file again from its start, discarding
 * {@code offset} bytes: cheaper than analysing them, but not free.
 *
 * <p>{@link #toBytes()} is a compact, versioned byte form (about 40 bytes for pcap) for a job's saved
 * state; {@link #fromBytes} refuses a form it does not know with one line naming the version.
 *
 * @param offset byte offset in the (uncompressed) file of the first record not yet read
 * @param frames how many frames came before that point: the next frame is number {@code frames + 1}
 * @param gzip   whether the file is gzip-compressed
 * @param format what the reader knows from the headers before {@code offset}
 */
public record ReaderCheckpoint(long offset, long frames, boolean gzip, Format format) {
    /** The byte form's version this code writes and reads. */
    public static final int VERSION = 1;
    private static final int MAGIC = 0x46575243; // "FWRC"
    private static final int PCAP = 1;
    private static final int PCAPNG = 2;

    /** Rejects a negative offset or frame count and a missing format: a checkpoint read back must be usable. */
    public ReaderCheckpoint {
        if (offset < 0 || frames < 0) {
            throw new IllegalArgumentException("reader checkpoint: negative offset " + offset + " or frame count " + frames);
        }
        if (format == null) {
            throw new IllegalArgumentException("reader checkpoint: no format");
        }
    }

    /** The header context of the file's format. */
    public sealed interface Format permits Pcap, Pcapng {
    }

    /**
     * Classic pcap: what the 24-byte file header says, which holds for every record.
     *
     * @param bigEndian the file's header and records are big-endian
     * @param nanos     timestamps in nanoseconds (magic {@code A1B23C4D}), else microseconds
     * @param snaplen   the header's snapshot length
     * @param linkType  the header's LINKTYPE_* value
     */
    public record Pcap(boolean bigEndian, boolean nanos, long snaplen, int linkType) implements Format {
    }

    /**
     * pcapng: what the section the offset is in has told the reader so far.
     *
     * @param bigEndian     the section's byte order
     * @param interfaces    the section's interfaces so far, in interface-id order (an unmodifiable copy)
     * @param lastTimeNanos the last packet time (a simple packet block has none and takes it)
     */
    public record Pcapng(boolean bigEndian, List<PcapngInterface> interfaces, long lastTimeNanos) implements Format {
    /** Copies the interfaces: a checkpoint never changes. */
        public Pcapng {
            interfaces = List.copyOf(interfaces);
        }
    }

    /*
     * Version 1, big-endian:
     * +--------+---------+--------+-------+--------+--------+-----------------------------------------+
     * | "FWRC" | version | format | flags | offset | frames | pcap:   snaplen u32, link type u32      |
     * |  u32   |   u8    |   u8   |  u8   |  i64   |  i64   | pcapng: last time i64, count u32, then  |
     * |        |         | 1 pcap |       |        |        | per interface: link type u16,           |
     * |        |         | 2 ng   |       |        |        | snaplen u32, tsresol u8, tsoffset i64   |
     * +--------+---------+--------+-------+--------+--------+-----------------------------------------+
     * flags: 1 gzip, 2 big-endian, 4 nanosecond pcap
     */

    /** The compact, versioned byte form; {@link #fromBytes} reads it back. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(format instanceof Pcap ? PCAP : PCAPNG);
            if (format instanceof Pcap p) {
                out.writeByte((gzip ? 1 : 0) | (p.bigEndian() ? 2 : 0) | (p.nanos() ? 4 : 0));
                out.writeLong(offset);
                out.writeLong(frames);
                out.writeInt((int) p.snaplen());
                out.writeInt(p.linkType());
            } else if (format instanceof Pcapng n) {
                out.writeByte((gzip ? 1 : 0) | (n.bigEndian() ? 2 : 0));
                out.writeLong(offset);
                out.writeLong(frames);
                out.writeLong(n.lastTimeNanos());
                out.writeInt(n.interfaces().size());
                for (PcapngInterface i : n.interfaces()) {
                    out.writeShort(i.linkType());
                    out.writeInt((int) i.snaplen());
                    out.writeByte(i.tsResolution());
                    out.writeLong(i.tsOffsetSeconds());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes()}'s form. Anything else (another magic, a version this code does not know,
     * cut or trailing bytes) is an {@link IllegalArgumentException} with one line naming the cause.
     */
    public static ReaderCheckpoint fromBytes(byte[] bytes) {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        try {
            if (bytes.length < 4 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a reader checkpoint: it does not start with \"FWRC\"");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("reader checkpoint version " + version
                        + " is not supported: this finwait reads version " + VERSION);
            }
            int kind = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            long offset = in.readLong();
            long frames = in.readLong();
            boolean bigEndian = (flags & 2) != 0;
            Format format = switch (kind) {
                case PCAP -> new Pcap(bigEndian, (flags & 4) != 0, in.readInt() & 0xFFFF_FFFFL, in.readInt());
                case PCAPNG -> {
                    long lastTime = in.readLong();
                    long count = in.readInt() & 0xFFFF_FFFFL;
                    // each interface takes 15 bytes: a count beyond what is left is a corrupt form, not a list to allocate
                    if (count * 15 > in.available()) {
                        throw new EOFException();
                    }
                    List<PcapngInterface> interfaces = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) {
                        interfaces.add(new PcapngInterface(in.readUnsignedShort(), in.readInt() & 0xFFFF_FFFFL,
                                in.readUnsignedByte(), in.readLong()));
                    }
                    yield new Pcapng(bigEndian, interfaces, lastTime);
                }
                default -> throw new IllegalArgumentException("reader checkpoint: unknown format " + kind
                        + " (1 pcap, 2 pcapng)");
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException("reader checkpoint: " + in.available() + " bytes after its end");
            }
            return new ReaderCheckpoint(offset, frames, (flags & 1) != 0, format);
        } catch (EOFException e) {
            throw new IllegalArgumentException("reader checkpoint cut short: " + bytes.length + " bytes");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayInputStream does not fail otherwise
        }
    }
}
