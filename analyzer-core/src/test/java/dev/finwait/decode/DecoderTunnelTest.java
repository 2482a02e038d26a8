package dev.finwait.decode;

import dev.finwait.model.DecodeReason;
import dev.finwait.model.DecodeProblem;
import static dev.finwait.decode.Packets.concat;
import static dev.finwait.decode.Packets.ethernet;
import static dev.finwait.decode.Packets.frame;
import static dev.finwait.decode.Packets.ipv4;
import static dev.finwait.decode.Packets.ipv6;
import static dev.finwait.decode.Packets.tcp;
import static dev.finwait.decode.Packets.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

/** IP-in-IP and GRE are entered, so the inner TCP segment is found (tshark counts those too). */
class DecoderTunnelTest {
    private static final byte[] INNER4 = ipv4(tcp(TcpFlags.SYN, new byte[3]));
    private static final byte[] INNER6 = ipv6(tcp(TcpFlags.SYN, new byte[3]));
    private static final byte[] NONE = new byte[0];

    private final Decoder decoder = new Decoder(true);

    private Segment segment(byte[] ethernetPayload) {
        DecodeResult r = decoder.decode(frame(1, ethernet(0x0800, ethernetPayload)));
        Segment s = assertInstanceOf(DecodeResult.Decoded.class, r, r.toString()).segment();
        assertEquals(3, s.payloadLength());
        assertEquals(Segment.Checksum.GOOD, s.checksum());
        return s;
    }

    @Test
    void ipv4InIpv4() {
        assertEquals("10.0.0.1", segment(ipv4(4, NONE, 0, INNER4)).src().ip().toString());
    }

    @Test
    void ipv6InIpv4() {
        assertEquals("2001:db8::1", segment(ipv4(41, NONE, 0, INNER6)).src().ip().toString());
    }

    @Test
    void greWithKeyAndSequenceCarryingIpv4() {
        byte[] gre = concat(u16(0x3000), u16(0x0800), new byte[8]);
        segment(ipv4(47, NONE, 0, concat(gre, INNER4)));
    }

    @Test
    void greWithChecksumCarryingTransparentEthernet() {
        byte[] gre = concat(u16(0x8000), u16(0x6558), new byte[4]);
        segment(ipv4(47, NONE, 0, concat(gre, ethernet(0x86DD, INNER6))));
    }

    @Test
    void greVersionOneIsSkipped() {
        byte[] pptp = concat(u16(0x2001), u16(0x880B), new byte[4]);
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.GRE_VERSION)),
                decoder.decode(frame(1, ethernet(0x0800, ipv4(47, NONE, 0, concat(pptp, INNER4))))));
    }

    @Test
    void truncatedGre() {
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_GRE)),
                decoder.decode(frame(1, ethernet(0x0800, ipv4(47, NONE, 0, new byte[] {0, 0})))));
    }

    @Test
    void nestingIsBounded() {
        byte[] p = INNER4;
        for (int i = 0; i < 3; i++) {
            p = ipv4(4, NONE, 0, p);
        }
        segment(p);
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.TUNNELS_TOO_DEEP)),
                decoder.decode(frame(1, ethernet(0x0800, ipv4(4, NONE, 0, p)))));
    }

    @Test
    void innerPacketLongerThanTheOuterIsMalformed() {
        byte[] outer = ipv4(4, NONE, 0, INNER4);
        outer[20 + 3] += 1; // inner total length one past the outer packet's end
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.IP_LENGTH_BEYOND_FRAME)),
                decoder.decode(frame(1, ethernet(0x0800, concat(outer, new byte[8])))));
    }
}
