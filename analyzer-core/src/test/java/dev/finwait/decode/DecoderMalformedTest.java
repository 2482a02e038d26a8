package dev.finwait.decode;

import dev.finwait.model.DecodeReason;
import dev.finwait.model.DecodeProblem;
import static dev.finwait.decode.Packets.ethernet;
import static dev.finwait.decode.Packets.frame;
import static dev.finwait.decode.Packets.ipv4;
import static dev.finwait.decode.Packets.ipv6;
import static dev.finwait.decode.Packets.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.tcp.TcpFlags;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each way the bytes can contradict their headers, with its exact reason. */
class DecoderMalformedTest {
    private final Decoder decoder = new Decoder(true);

    private String reason(int linkType, byte[] bytes) {
        DecodeResult r = decoder.decode(frame(linkType, bytes));
        return r instanceof DecodeResult.Malformed m ? m.reason() : "not malformed: " + r;
    }

    private static byte[] v4Syn() {
        return ipv4(tcp(TcpFlags.SYN, new byte[0]));
    }

    @Test
    void truncatedLinkHeaders() {
        assertEquals("truncated link header", reason(1, new byte[13]));
        assertEquals("truncated link header", reason(113, new byte[15]));
        assertEquals("truncated link header", reason(276, new byte[19]));
        assertEquals("truncated link header", reason(0, new byte[3]));
        assertEquals("truncated link header", reason(1, ethernet(0x8100, new byte[2])));
        assertEquals("truncated link header", reason(1, ethernet(0x8847, new byte[] {0, 0, 0, 64})));
    }

    @Test
    void truncatedIpv4Header() {
        assertEquals("truncated ipv4 header", reason(228, Arrays.copyOf(v4Syn(), 19)));
    }

    @Test
    void ipv4HeaderLengthBelowFive() {
        byte[] p = v4Syn();
        p[0] = 0x44;
        assertEquals("ipv4 ihl 4 < 5", reason(228, p));
    }

    @Test
    void ipv4HeaderLengthBeyondTheFrame() {
        byte[] p = Arrays.copyOf(v4Syn(), 30);
        p[0] = 0x48;
        assertEquals("truncated ipv4 header", reason(228, p));
    }

    @Test
    void wrongIpVersion() {
        byte[] p = v4Syn();
        p[0] = 0x55;
        assertEquals("ip version 5", reason(101, p));
        assertEquals("ip version 5", reason(228, p));
    }

    @Test
    void ipTotalLengthBeyondTheFrame() {
        byte[] p = v4Syn();
        p[3] = (byte) (p[3] + 1);
        assertEquals("ip total length beyond frame", reason(228, p));
        byte[] q = ipv6(tcp(TcpFlags.SYN, new byte[0]));
        q[5] = (byte) (q[5] + 1);
        assertEquals("ip total length beyond frame", reason(229, q));
    }

    @Test
    void ipv4TotalLengthShorterThanItsHeader() {
        byte[] p = v4Syn();
        p[2] = 0;
        p[3] = 16;
        assertEquals("ipv4 total length < header length", reason(228, p));
    }

    @Test
    void truncatedTcpHeader() {
        byte[] p = v4Syn();
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_TCP)), decoder.decode(Packets.snapped(228, p, 39)));
    }

    @Test
    void tcpDataOffsetBelowFive() {
        byte[] p = v4Syn();
        p[20 + 12] = 0x30;
        assertEquals("tcp data offset 3 < 5", reason(228, p));
    }

    @Test
    void tcpHeaderLongerThanTheIpPayload() {
        byte[] p = v4Syn();
        p[20 + 12] = 0x60;
        assertEquals("tcp header beyond ip payload", reason(228, p));
    }

    @Test
    void tcpOptionLengthOverrunsTheHeader() {
        byte[] mssTooLong = {2, 8, 0x05, (byte) 0xB4};
        assertEquals("tcp options overrun header", reason(228, ipv4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, mssTooLong, new byte[0]))));
        byte[] zeroLength = {1, 1, 5, 0};
        assertEquals("tcp options overrun header", reason(228, ipv4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, zeroLength, new byte[0]))));
        byte[] kindWithoutLength = {1, 1, 1, 3};
        assertEquals("tcp options overrun header", reason(228, ipv4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, kindWithoutLength, new byte[0]))));
    }

    @Test
    void truncatedIpv6HeaderAndExtensions() {
        byte[] p = ipv6(tcp(TcpFlags.SYN, new byte[0]));
        assertEquals("truncated ipv6 header", reason(229, Arrays.copyOf(p, 39)));
        byte[] hop = ipv6(0, new byte[] {6, 0, 0, 0, 0, 0, 0, 0}, new byte[0]);
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_IPV6_EXT)), decoder.decode(Packets.snapped(229, hop, 44)));
        byte[] longHop = ipv6(0, new byte[] {6, 9, 0, 0, 0, 0, 0, 0}, new byte[0]);
        assertEquals("truncated ipv6 extension header", reason(229, longHop));
    }

    @Test
    void ipv6ExtensionLoopIsBounded() {
        byte[] ext = new byte[8 * 20];
        for (int i = 0; i < 20; i++) {
            ext[8 * i] = 60; // destination options pointing to another destination options header
        }
        assertEquals("ipv6 extension header chain too long", reason(229, ipv6(60, ext, new byte[0])));
    }

    @Test
    void emptyRawPacket() {
        assertEquals("empty raw ip packet", reason(101, new byte[0]));
    }

    @Test
    void nflogTlvWithImpossibleLength() {
        assertEquals("nflog tlv overruns frame", reason(239, new byte[] {2, 0, 0, 0, 2, 0, 9, 0}));
    }
}
