package dev.finwait.decode;

import dev.finwait.capture.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Builds packets byte by byte for decoder tests: TCP in IPv4 / IPv6 with a correct checksum (computed
 * here independently of the decoder), wrapped in any link layer.
 */
final class Packets {
    static final byte[] SRC4 = {10, 0, 0, 1};
    static final byte[] DST4 = {10, 0, 0, 2};
    static final byte[] SRC6 = ip6(0x20, 0x01, 0x0d, 0xb8, 1);
    static final byte[] DST6 = ip6(0x20, 0x01, 0x0d, 0xb8, 2);
    static final byte[] MSS_1460 = {2, 4, 0x05, (byte) 0xB4};

    private Packets() {
    }

    static byte[] ip6(int a, int b, int c, int d, int last) {
        byte[] ip = new byte[16];
        ip[0] = (byte) a;
        ip[1] = (byte) b;
        ip[2] = (byte) c;
        ip[3] = (byte) d;
        ip[15] = (byte) last;
        return ip;
    }

    /** A TCP header (data offset from the options, which must be padded to 4) plus payload; checksum 0. */
    static byte[] tcp(int sport, int dport, int seq, int ack, int flags, int window, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack)
                .put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0)
                .putShort((short) 0).put(options).put(payload);
        return b.array();
    }

    static byte[] tcp(int flags, byte[] payload) {
        return tcp(1234, 80, 1000, 2000, flags, 512, new byte[0], payload);
    }

    /** IPv4 header (20 bytes plus {@code options}) around {@code payload}; TCP checksum filled in for protocol 6. */
    static byte[] ipv4(int protocol, byte[] options, int fragmentField, byte[] payload) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.put((byte) (0x40 | (hl / 4))).put((byte) 0).putShort((short) (hl + payload.length)).putShort((short) 7)
                .putShort((short) fragmentField).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(SRC4).put(DST4).put(options).put(payload);
        byte[] out = b.array();
        if (protocol == 6 && fragmentField == 0) {
            ByteArrayOutputStream pseudo = new ByteArrayOutputStream();
            pseudo.writeBytes(SRC4);
            pseudo.writeBytes(DST4);
            pseudo.writeBytes(new byte[] {0, 6, (byte) (payload.length >> 8), (byte) payload.length});
            fillTcpChecksum(out, hl, pseudo.toByteArray());
        }
        return out;
    }

    static byte[] ipv4(byte[] tcp) {
        return ipv4(6, new byte[0], 0, tcp);
    }

    /** IPv6 header and {@code extensions} (already chained); a TCP checksum is filled in if the payload is 20+ bytes. */
    static byte[] ipv6(int firstNext, byte[] extensions, byte[] payload) {
        int plen = extensions.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + plen);
        b.putInt(0x6000_0000).putShort((short) plen).put((byte) firstNext).put((byte) 64).put(SRC6).put(DST6)
                .put(extensions).put(payload);
        byte[] out = b.array();
        if (payload.length < 20) {
            return out; // not a TCP header: nothing to checksum
        }
        ByteArrayOutputStream pseudo = new ByteArrayOutputStream();
        pseudo.writeBytes(SRC6);
        pseudo.writeBytes(DST6);
        pseudo.writeBytes(new byte[] {0, 0, (byte) (payload.length >> 8), (byte) payload.length, 0, 0, 0, 6});
        fillTcpChecksum(out, 40 + extensions.length, pseudo.toByteArray());
        return out;
    }

    static byte[] ipv6(byte[] tcp) {
        return ipv6(6, new byte[0], tcp);
    }

    static byte[] ethernet(int etherType, byte[] payload) {
        return concat(new byte[12], u16(etherType), payload);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Frame frame(int linkType, byte[] bytes) {
        return new Frame(1, 5_000, linkType, bytes, 0, bytes.length, bytes.length, 24);
    }

    /** A frame cut to {@code captured} bytes, as a snaplen would. */
    static Frame snapped(int linkType, byte[] bytes, int captured) {
        return new Frame(1, 5_000, linkType, bytes, 0, captured, bytes.length, 24);
    }

    private static void fillTcpChecksum(byte[] packet, int tcpStart, byte[] pseudo) {
        long sum = 0;
        byte[] all = concat(pseudo, java.util.Arrays.copyOfRange(packet, tcpStart, packet.length));
        for (int i = 0; i < all.length; i += 2) {
            int hi = all[i] & 0xFF;
            int lo = i + 1 < all.length ? all[i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        int checksum = (int) (~sum & 0xFFFF);
        packet[tcpStart + 16] = (byte) (checksum >> 8);
        packet[tcpStart + 17] = (byte) checksum;
    }
}
