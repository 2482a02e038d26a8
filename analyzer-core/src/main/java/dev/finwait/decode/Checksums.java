package dev.finwait.decode;

/** The Internet checksum (RFC 1071) over TCP with its IPv4 (RFC 9293 3.1) or IPv6 (RFC 8200 8.1) pseudo-header. */
final class Checksums {
    private static final int TCP = 6;

    private Checksums() {
    }

    /** Pseudo-header sum for IPv4: source, destination, protocol, TCP length. */
    static int pseudoV4(byte[] b, int ip, int tcpLength) {
        return sum(b, ip + 12, ip + 20) + TCP + tcpLength;
    }

    /** Pseudo-header sum for IPv6: source, destination, 32-bit upper-layer length, next header. */
    static int pseudoV6(byte[] b, int ip, int tcpLength) {
        return sum(b, ip + 8, ip + 40) + (tcpLength >>> 16) + (tcpLength & 0xFFFF) + TCP;
    }

    /** True when the one's-complement sum of pseudo-header and segment {@code [from, to)} is all ones. */
    static boolean verify(byte[] b, int from, int to, int pseudo) {
        long s = (long) pseudo + sum(b, from, to);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return s == 0xFFFF;
    }

    /** Plain sum of 16-bit big-endian words; an odd last byte is padded with zero. Fits an int up to 64 KiB. */
    private static int sum(byte[] b, int from, int to) {
        long s = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s += (((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF)) + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
        }
        for (; i + 1 < to; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < to) {
            s += (b[i] & 0xFF) << 8;
        }
        while ((s >>> 31) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
