package dev.finwait.tcp;

/**
 * An IPv4 or IPv6 address as two longs: hashable and comparable without {@code InetAddress}
 * (no DNS, no allocation of a byte array per packet). IPv4 lives in the low 32 bits of {@code lo}.
 */
public record IpAddress(long hi, long lo, boolean v6) implements Comparable<IpAddress> {

    // Written out: a record's generated equals/hashCode go through ObjectMethods method handles, which
    // showed as 15 % of the run in a profile (a flow-table lookup compares addresses per packet).
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof IpAddress a && a.lo == lo && a.hi == hi && a.v6 == v6;
    }

    @Override
    public int hashCode() {
        long h = hi * 31 + lo;
        return (int) (h ^ (h >>> 32)) ^ (v6 ? 1 : 0);
    }


    public static IpAddress ipv4(int address) {
        return new IpAddress(0, address & 0xFFFF_FFFFL, false);
    }

    /** Reads 4 bytes (IPv4) at {@code off}. */
    public static IpAddress ipv4(byte[] b, int off) {
        return ipv4(((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
    }

    /** Reads 16 bytes (IPv6) at {@code off}. */
    public static IpAddress ipv6(byte[] b, int off) {
        return new IpAddress(readLong(b, off), readLong(b, off + 8), true);
    }

    /** Parses dotted IPv4 or RFC 4291 IPv6 text (no host names). */
    public static IpAddress parse(String text) {
        try {
            byte[] raw = com.google.common.net.InetAddresses.forString(text).getAddress();
            return raw.length == 4 ? ipv4(raw, 0) : ipv6(raw, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public byte[] toBytes() {
        if (!v6) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    @Override
    public int compareTo(IpAddress o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** Dotted quad, or RFC 5952 canonical IPv6 text (as tshark and Zeek print it). */
    @Override
    public String toString() {
        if (!v6) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        try {
            return com.google.common.net.InetAddresses.toAddrString(java.net.InetAddress.getByAddress(toBytes()));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes is always a valid length
        }
    }
}
