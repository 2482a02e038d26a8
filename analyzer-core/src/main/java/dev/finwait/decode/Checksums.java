package dev.finwait.decode;

/** The Internet checksum (RFC 1071) over TCP with its IPv4 (RFC 9293 3.1) or IPv6 (RFC 8200 8.1) pseudo-header. */
final class Checksums {
    private static final int TCP = 6;
    private static final java.lang.invoke.VarHandle INT_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

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

    /**
     * One's-complement sum of 16-bit big-endian words, folded to at most 17 bits; an odd last byte is
     * padded with zero. Adds 32-bit words into a long first: folding a sum of 32-bit words gives the
     * same result as adding 16-bit words (RFC 1071 2(B), byte-order and width independence).
     */
    private static int sum(byte[] b, int from, int to) {
        long s = 0;
        int i = from;
        // Two 32-bit words per 8-byte load; each addend is below 2^32, so 2^31 of them cannot overflow.
        for (; i + 7 < to; i += 8) {
            long w = (long) LONG_BE.get(b, i);
            s += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        for (; i + 3 < to; i += 4) {
            s += (int) INT_BE.get(b, i) & 0xFFFF_FFFFL;
        }
        s = (s & 0xFFFF_FFFFL) + (s >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
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
