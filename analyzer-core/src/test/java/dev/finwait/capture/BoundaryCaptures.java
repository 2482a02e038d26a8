package dev.finwait.capture;

import dev.finwait.Fixtures;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Captures built in memory with every kind of record the readers know, and the frames they must give,
 * worked out here from what was written (not by reading it back): classic pcap in both byte orders
 * and precisions, pcapng with three sections of both byte orders, several interfaces with their own
 * link types, {@code if_tsresol} (powers of ten and of two) and {@code if_tsoffset}, options on
 * section, interface and packet blocks, enhanced, simple and obsolete packet blocks, and blocks the
 * reader skips (name resolution, statistics, a custom block larger than a small buffer). One interface
 * is described between packets, so a checkpoint may fall before or after it.
 */
final class BoundaryCaptures {
    /** A capture and the frames it holds (each with its own bytes). */
    record Sample(String name, byte[] bytes, List<Frame> frames) {
        Sample gzipped() {
            return new Sample(name + ".gz", Fixtures.gzip(bytes), frames);
        }
    }

    private BoundaryCaptures() {
    }

    /** One line for a frame: number, time, link type, lengths, file offset and the bytes in hex. */
    static String describe(Frame f) {
        return f.number() + " t=" + f.timeNanos() + " link=" + f.linkType() + " cap=" + f.capturedLength() + " orig="
                + f.originalLength() + " at=" + f.fileOffset() + " "
                + HexFormat.of().formatHex(f.data(), f.offset(), f.offset() + f.capturedLength());
    }

    /** Whether two frames have the same fields and bytes (wherever in their arrays the bytes are). */
    static boolean same(Frame a, Frame b) {
        return a.number() == b.number() && a.timeNanos() == b.timeNanos() && a.linkType() == b.linkType()
                && a.capturedLength() == b.capturedLength() && a.originalLength() == b.originalLength()
                && a.fileOffset() == b.fileOffset()
                && java.util.Arrays.equals(a.data(), a.offset(), a.offset() + a.capturedLength(),
                        b.data(), b.offset(), b.offset() + b.capturedLength());
    }

    private static Frame frame(long number, long time, int link, byte[] data, int caplen, int origlen, long at) {
        return new Frame(number, time, link, data, 0, caplen, origlen, at);
    }

    /** Packet sizes of every small length (0 too), some MTU-sized and, for pcap, one jumbo. */
    private static byte[] packet(Random random, int i, boolean jumbo) {
        int size = switch (i % 9) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(3);
            case 4 -> 1400 + random.nextInt(114);
            case 7 -> i == 7 && jumbo ? 9000 : 60 + random.nextInt(40);
            default -> 40 + random.nextInt(160);
        };
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    static Sample pcap(boolean bigEndian, boolean nanos, int packets) {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        PcapBuilder b = PcapBuilder.pcap(nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS, order, 0, 1);
        Random random = new Random(bigEndian ? 2 : 1);
        List<Frame> frames = new ArrayList<>();
        long at = 24;
        for (int i = 0; i < packets; i++) {
            byte[] data = packet(random, i, true);
            long seconds = 1_795_000_000L + i;
            long fraction = random.nextInt(nanos ? 1_000_000_000 : 1_000_000);
            // every fifth record is snapped: the original length is larger than what was captured
            int origlen = data.length + (i % 5 == 0 ? 100 : 0);
            b.record(seconds, fraction, data.length, origlen, data);
            long time = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1_000);
            frames.add(frame(i + 1, time, 1, data, data.length, origlen, at));
            at += 16 + data.length;
        }
        return new Sample("pcap-" + (bigEndian ? "be" : "le") + (nanos ? "-ns" : "-us"), b.bytes(), frames);
    }

    /** Three sections (little, big, little endian); the frames' times, link types and offsets worked out independently. */
    static Sample pcapng(int packetsPerSection) {
        Random random = new Random(3);
        PcapngBuilder b = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN);
        List<Frame> frames = new ArrayList<>();
        long[] number = {0};
        long[] lastTime = {0};
        b.section(ByteOrder.LITTLE_ENDIAN, b.options(2, text("x86_64"), 3, text("Linux 6.1"), 4, text("Dumpcap (Wireshark) 4.0")));
        // interface 0: Ethernet, microseconds; interface 1: SLL, nanoseconds and an offset of 1000 s
        b.iface(1, 262144, b.options(2, text("eth0"), 9, new byte[] {6}, 12, text("Linux 6.1")));
        b.iface(113, 65535, b.options(2, text("any"), 9, new byte[] {9}, 14, le64(1_000)));
        b.block(4, new byte[] {1, 0, 4, 0, 127, 0, 0, 1, 'l', 'o', 0, 0, 0, 0, 0, 0}); // name resolution: skipped
        for (int i = 0; i < packetsPerSection; i++) {
            if (i == 4) {
                // interface 2, described between packets: raw IP, tenths of microseconds
                b.iface(101, 0, b.options(9, new byte[] {7}));
            }
            byte[] data = packet(random, i, false);
            int iface = i > 4 && i % 5 == 0 ? 2 : i % 3 == 2 ? 1 : 0;
            long units = switch (iface) {
                case 0 -> 1_795_000_000_000_000L + i * 1_000L;
                case 1 -> 1_794_999_000_000_000_000L + i * 7L;
                default -> 17_950_000_000_000_000L + i * 3L;
            };
            long time = switch (iface) {
                case 0 -> units * 1_000;
                case 1 -> units + 1_000_000_000_000L;
                default -> units * 100;
            };
            int at = b.size();
            if (i % 4 == 1) {
                b.epb(iface, units, data, b.options(1, text("comment " + i), 2, le32(1)));
            } else {
                b.epb(iface, units, data);
            }
            frames.add(frame(++number[0], time, new int[] {1, 113, 101}[iface], data, data.length, data.length, at));
            lastTime[0] = time;
            if (i == packetsPerSection / 2) {
                spb(b, frames, number, lastTime[0], 1, packet(random, 2, false));
                b.block(0x40000BAD, new byte[3000]); // custom block, larger than the smallest buffers: streamed past
            }
        }
        b.block(5, new byte[24]); // interface statistics: skipped

        b.section(ByteOrder.BIG_ENDIAN, b.options(4, text("editcap")));
        // interface 0: raw IP, 2^-20 s; interface 1: Ethernet, milliseconds
        b.iface(101, 0, b.options(9, new byte[] {(byte) (0x80 | 20)}));
        b.iface(1, 1514, b.options(9, new byte[] {3}));
        for (int i = 0; i < packetsPerSection; i++) {
            byte[] data = packet(random, i + 1, false);
            if (data.length > 1514) {
                data = java.util.Arrays.copyOf(data, 1514);
            }
            int iface = i % 2;
            long units = iface == 0 ? (1_795_000_100L << 20) + i * 12_345L : 1_795_000_200_000L + i;
            long time = iface == 0
                    ? BigInteger.valueOf(units).multiply(BigInteger.valueOf(1_000_000_000)).shiftRight(20).longValueExact()
                    : units * 1_000_000;
            int at = b.size();
            if (i % 5 == 3) {
                b.obsolete(iface, units, data);
            } else {
                b.epb(iface, units, data);
            }
            frames.add(frame(++number[0], time, iface == 0 ? 101 : 1, data, data.length, data.length, at));
            lastTime[0] = time;
        }
        // simple packet blocks take interface 0 (raw IP, no snaplen) and the previous packet's time
        for (int i = 0; i < 3; i++) {
            spb(b, frames, number, lastTime[0], 101, packet(random, i + 2, false));
        }

        b.section(ByteOrder.LITTLE_ENDIAN);
        b.iface(1, 0, -1, 0);
        for (int i = 0; i < packetsPerSection / 2; i++) {
            byte[] data = packet(random, i + 3, false);
            int at = b.size();
            b.epb(0, 1_795_000_300_000_000L + i, data);
            frames.add(frame(++number[0], (1_795_000_300_000_000L + i) * 1_000, 1, data, data.length, data.length, at));
        }
        return new Sample("pcapng", b.bytes(), frames);
    }

    private static void spb(PcapngBuilder b, List<Frame> frames, long[] number, long time, int link, byte[] data) {
        int at = b.size();
        b.spb(data.length, data);
        frames.add(frame(++number[0], time, link, data, data.length, data.length, at));
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] le64(long v) {
        return java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] le32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
