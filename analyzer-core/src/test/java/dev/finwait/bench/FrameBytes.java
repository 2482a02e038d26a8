package dev.finwait.bench;

/** Byte stores and the RFC 1071 checksum for the frames the bench generators build (CaptureGenerator, LiveTraffic). */
final class FrameBytes {
    private FrameBytes() {
    }

    static void putBe16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putBe32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    /** RFC 1071 sum of big-endian 16-bit words of {@code [from, to)} (odd byte padded), plus {@code start}. */
    static int sum(byte[] b, int from, int to, int start) {
        long s = start & 0xFFFF_FFFFL;
        int i = from;
        for (; i + 1 < to; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < to) {
            s += (b[i] & 0xFF) << 8;
        }
        return fold(s);
    }

    /** The checksum of a finished sum: its 16-bit one's complement. */
    static int checksum(int sum) {
        return ~fold(sum & 0xFFFF_FFFFL) & 0xFFFF;
    }

    /** The checksum of the 20-byte IPv4 header at {@code at}, whose checksum field is zero. */
    static int ipv4HeaderChecksum(byte[] b, int at) {
        return checksum(sum(b, at, at + 20, 0));
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
