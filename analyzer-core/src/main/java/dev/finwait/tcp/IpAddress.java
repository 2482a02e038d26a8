package dev.finwait.tcp;

/**
 * An IPv4 or IPv6 address as two longs: hashable and comparable without {@code InetAddress}
 * (no DNS, no allocation of a byte array per packet).
 *
 * @param hi the first 64 bits of an IPv6 address; 0 for IPv4
 * @param lo the last 64 bits of an IPv6 address; for IPv4, the address in the low 32 bits
 * @param v6 an IPv6 address (an IPv4-mapped IPv6 address stays IPv6)
 */
public record IpAddress(long hi, long lo, boolean v6) implements Comparable<IpAddress> {

    // Written out: a record's generated equals/hashCode go through ObjectMethods method handles, which
    // showed as 15 % of the run in a profile (a flow-table lookup compares addresses per packet).
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof IpAddress a && a.lo == lo && a.hi == hi && a.v6 == v6;
    }

    // Mixed by a multiply, not summed: addresses differ in few, scattered bits (10.a.b.7 for a host a, b),
    // and HashMap's index keeps only the low bits of h ^ h >>> 16. With the plain sum 4,096 such hosts
    // fell into 512 buckets, which HashMap turned into trees: in the per-service diagnosis the host
    // lookups were 12 % of the report thread on 10 M packets.
    @Override
    public int hashCode() {
        long h = (hi * 0x9E3779B97F4A7C15L + lo) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32)) ^ (v6 ? 1 : 0);
    }


    /** {@return the IPv4 address whose 32 bits are {@code address}, most significant byte first} */
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

    /**
     * Parses dotted IPv4 ({@code 192.0.2.1}: four decimal parts 0-255, no leading zeros) or RFC 4291
     * IPv6 text ({@code 2001:db8::1}, a trailing dotted quad allowed, a zone such as {@code %eth0}
     * ignored); never a
     * host name, never a lookup. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4
     * address, as the JDK and the capture's own IPv4 packets have it.
     *
     * @param text the address
     * @return the address
     * @throws IllegalArgumentException when the text is not an IP address
     */
    public static IpAddress parse(String text) {
        IpAddress a = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, 0, text.length());
        if (a == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        return a;
    }

    /** Four decimal parts of 1-3 digits, each 0-255, without leading zeros; null when not that. */
    private static IpAddress parseV4(String t, int from, int to) {
        long v = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int part = 0;
            while (i < to && i - start < 4 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                part = part * 10 + (t.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || part > 255 || (digits > 1 && t.charAt(start) == '0')) {
                return null;
            }
            v = (v << 8) | part;
            parts++;
            if (parts < 4) {
                if (i >= to || t.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == to ? ipv4((int) v) : null;
    }

    /** An RFC 4007 zone after '%': an interface name or number (letters, digits, '_', '-', at least one). */
    private static boolean isZone(String text, int from) {
        if (from >= text.length()) {
            return false;
        }
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Eight groups of 1-4 hex digits, one "::" for a run of zero groups, an optional trailing dotted quad. */
    private static IpAddress parseV6(String text) {
        int end = text.indexOf('%');
        if (end == 0 || end > 0 && !isZone(text, end + 1)) {
            return null;
        }
        end = end < 0 ? text.length() : end;
        int[] groups = new int[8];
        int n = 0;
        int gap = -1; // the group index where "::" stands
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < end) {
            int start = i;
            int g = 0;
            while (i < end && i - start < 5 && Character.digit(text.charAt(i), 16) >= 0 && text.charAt(i) < 0x80) {
                g = (g << 4) | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < end && text.charAt(i) == '.') {
                // The last 32 bits written as a dotted quad.
                if (n > 6) {
                    return null;
                }
                IpAddress v4 = parseV4(text, start, end);
                if (v4 == null) {
                    return null;
                }
                groups[n++] = (int) (v4.lo >>> 16);
                groups[n++] = (int) (v4.lo & 0xFFFF);
                i = end;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || n == 8) {
                return null;
            }
            groups[n++] = g;
            if (i == end) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < end && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // a second "::"
                }
                gap = n;
                i++;
            } else if (i == end) {
                return null; // a single trailing ':'
            }
        }
        if (gap < 0 ? n != 8 : n > 7) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        int zeros = 8 - n;
        for (int k = 0, src = 0; k < 8; k++) {
            int value = (gap >= 0 && k >= gap && k < gap + zeros) ? 0 : groups[src++];
            if (k < 4) {
                hi = (hi << 16) | value;
            } else {
                lo = (lo << 16) | value;
            }
        }
        if (hi == 0 && (lo >>> 32) == 0xFFFF) {
            return ipv4((int) lo); // IPv4-mapped
        }
        return new IpAddress(hi, lo, true);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** {@return the address in network byte order: 4 bytes for IPv4, 16 for IPv6} */
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

    /**
     * Dotted quad, or RFC 5952 canonical IPv6 text, as tshark and Zeek print it: lower-case hex without
     * leading zeros, the longest run of two or more zero groups (the first of equal runs) as "::".
     * An IPv4-mapped address prints as its dotted quad.
     */
    @Override
    public String toString() {
        if (!v6 || (hi == 0 && (lo >>> 32) == 0xFFFF)) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xFFFF;
            g[4 + k] = (int) (lo >>> (48 - 16 * k)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is written "0", never "::"
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLength) {
                bestStart = start;
                bestLength = k - start;
            }
        }
        StringBuilder b = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                b.append("::");
                k += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[k]));
        }
        return b.toString();
    }
}
