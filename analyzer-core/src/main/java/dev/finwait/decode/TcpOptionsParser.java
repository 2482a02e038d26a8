package dev.finwait.decode;

import dev.finwait.tcp.TcpOptions;

/** Reads the options the analysis uses; kinds it does not know are skipped by their length. */
final class TcpOptionsParser {
    private static final int EOL = 0;
    private static final int NOP = 1;
    private static final int MSS = 2;
    private static final int WINDOW_SCALE = 3;
    private static final int SACK_PERMITTED = 4;
    private static final int TIMESTAMPS = 8;
    private static final int FAST_OPEN = 34;
    /** RFC 6994 experimental option carrying TFO before kind 34 was assigned (RFC 7413 section 4.1.1). */
    private static final int EXPERIMENTAL = 254;
    private static final int TFO_MAGIC = 0xF989;

    /**
     * The options in {@code [from, to)}, {@link TcpOptions#NONE} if none we use, or null if one
     * overruns the header. Bytes from {@code captured} on were not captured: parsing stops there.
     */
    TcpOptions parse(byte[] b, int from, int to, int captured) {
        if (to - from == 12 && to <= captured && b[from] == NOP && b[from + 1] == NOP && b[from + 2] == TIMESTAMPS
                && b[from + 3] == 10) {
            // NOP, NOP, timestamps: what nearly every segment after the handshake carries (Linux, BSD).
            return new TcpOptions(-1, -1, false, Bytes.i32(b, from + 4) & 0xFFFF_FFFFL,
                    Bytes.i32(b, from + 8) & 0xFFFF_FFFFL, false);
        }
        int mss = -1;
        int scale = -1;
        boolean sackPermitted = false;
        long tsVal = -1;
        long tsEcr = -1;
        boolean fastOpen = false;
        boolean any = false;
        int o = from;
        while (o < to && o < captured) {
            int kind = b[o] & 0xFF;
            if (kind == EOL) {
                break;
            }
            if (kind == NOP) {
                o++;
                continue;
            }
            if (o + 1 >= to) {
                return null;
            }
            if (o + 1 >= captured) {
                break;
            }
            int len = b[o + 1] & 0xFF;
            if (len < 2 || o + len > to) {
                return null;
            }
            if (o + len > captured) {
                break;
            }
            switch (kind) {
                case MSS -> {
                    if (len == 4) {
                        mss = Bytes.u16(b, o + 2);
                        any = true;
                    }
                }
                case WINDOW_SCALE -> {
                    if (len == 3) {
                        scale = b[o + 2] & 0xFF;
                        any = true;
                    }
                }
                case SACK_PERMITTED -> {
                    sackPermitted = true;
                    any = true;
                }
                case TIMESTAMPS -> {
                    if (len == 10) {
                        tsVal = Bytes.i32(b, o + 2) & 0xFFFF_FFFFL;
                        tsEcr = Bytes.i32(b, o + 6) & 0xFFFF_FFFFL;
                        any = true;
                    }
                }
                case FAST_OPEN -> {
                    fastOpen = true;
                    any = true;
                }
                case EXPERIMENTAL -> {
                    if (len >= 4 && Bytes.u16(b, o + 2) == TFO_MAGIC) {
                        fastOpen = true;
                        any = true;
                    }
                }
                default -> {
                }
            }
            o += len;
        }
        return any ? new TcpOptions(mss, scale, sackPermitted, tsVal, tsEcr, fastOpen) : TcpOptions.NONE;
    }
}
