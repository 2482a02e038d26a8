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

/** Every supported link layer, carrying IPv4 and IPv6, reaches the same TCP segment. */
class DecoderLinkTypesTest {
    private static final byte[] V4 = ipv4(tcp(TcpFlags.SYN, new byte[0]));
    private static final byte[] V6 = ipv6(tcp(TcpFlags.SYN, new byte[0]));

    private final Decoder decoder = new Decoder(true);

    private Segment decoded(int linkType, byte[] bytes) {
        DecodeResult r = decoder.decode(frame(linkType, bytes));
        Segment s = assertInstanceOf(DecodeResult.Decoded.class, r, r.toString()).segment();
        assertEquals(1234, s.src().port());
        assertEquals(Segment.Checksum.GOOD, s.checksum());
        return s;
    }

    private void decodesBoth(int linkType, byte[] header4, byte[] header6) {
        assertEquals("10.0.0.1", decoded(linkType, concat(header4, V4)).src().ip().toString());
        assertEquals("2001:db8::1", decoded(linkType, concat(header6, V6)).src().ip().toString());
    }

    @Test
    void plainEthernet() {
        decodesBoth(1, concat(new byte[12], u16(0x0800)), concat(new byte[12], u16(0x86DD)));
    }

    @Test
    void ethernetWithVlanTag() {
        decodesBoth(1, concat(new byte[12], u16(0x8100), u16(5), u16(0x0800)),
                concat(new byte[12], u16(0x8100), u16(5), u16(0x86DD)));
    }

    @Test
    void ethernetWithQinQTags() {
        decodesBoth(1, concat(new byte[12], u16(0x88A8), u16(5), u16(0x8100), u16(6), u16(0x0800)),
                concat(new byte[12], u16(0x9100), u16(5), u16(0x8100), u16(6), u16(0x86DD)));
    }

    @Test
    void ethernetWithMplsLabelStack() {
        byte[] label = {0, 0x10, 0x00, 64};
        byte[] bottom = {0, 0x20, 0x01, 64};
        decodesBoth(1, concat(new byte[12], u16(0x8847), label, bottom), concat(new byte[12], u16(0x8847), bottom));
    }

    @Test
    void ethernetWithPppoeSession() {
        byte[] pppoe = {0x11, 0, 0, 1, 0, 0};
        decodesBoth(1, concat(new byte[12], u16(0x8864), pppoe, u16(0x0021)),
                concat(new byte[12], u16(0x8864), pppoe, u16(0x0057)));
    }

    @Test
    void linuxCookedV1() {
        byte[] head = new byte[14];
        decodesBoth(113, concat(head, u16(0x0800)), concat(head, u16(0x86DD)));
    }

    @Test
    void linuxCookedV2() {
        byte[] tail = new byte[18];
        decodesBoth(276, concat(u16(0x0800), tail), concat(u16(0x86DD), tail));
    }

    @Test
    void bsdNullInEitherByteOrder() {
        decodesBoth(0, new byte[] {2, 0, 0, 0}, new byte[] {24, 0, 0, 0});
        decodesBoth(0, new byte[] {0, 0, 0, 2}, new byte[] {0, 0, 0, 28});
        decodesBoth(0, new byte[] {2, 0, 0, 0}, new byte[] {30, 0, 0, 0});
    }

    @Test
    void openBsdLoop() {
        decodesBoth(108, new byte[] {0, 0, 0, 2}, new byte[] {0, 0, 0, 24});
    }

    @Test
    void rawIpUnderEveryNumber() {
        for (int linkType : new int[] {101, 12, 14}) {
            decodesBoth(linkType, new byte[0], new byte[0]);
        }
        decoded(228, V4);
        decoded(229, V6);
    }

    @Test
    void nflogFindsThePayloadTlvAfterOthers() {
        // family, version, resource id; then a prefix TLV (type 10, 6 bytes + 2 padding), then the payload TLV (type 9).
        byte[] prefix = {8, 0, 10, 0, 'a', 'b', 'c', 'd'};
        byte[] head4 = concat(new byte[] {2, 0, 0, 0}, prefix, le16(4 + V4.length), le16(9));
        byte[] head6 = concat(new byte[] {10, 0, 0, 0}, prefix, le16(4 + V6.length), le16(9));
        decodesBoth(239, head4, head6);
    }

    @Test
    void pppWithAndWithoutHdlcFramingAndCompressedProtocol() {
        decodesBoth(9, new byte[] {(byte) 0xFF, 3, 0, 0x21}, new byte[] {(byte) 0xFF, 3, 0, 0x57});
        decodesBoth(9, new byte[] {0, 0x21}, new byte[] {0x57});
        decodesBoth(50, new byte[] {(byte) 0xFF, 3, 0, 0x21}, new byte[] {(byte) 0xFF, 3, 0, 0x57});
        assertEquals(new DecodeResult.Skipped(new DecodeProblem(DecodeReason.PPP_PROTOCOL, 0xc021)),
                decoder.decode(frame(9, new byte[] {(byte) 0xFF, 3, (byte) 0xC0, 0x21, 1, 1, 0, 4})));
    }

    @Test
    void ciscoHdlc() {
        decodesBoth(104, concat(new byte[] {0x0F, 0}, u16(0x0800)), concat(new byte[] {0x0F, 0}, u16(0x86DD)));
    }

    @Test
    void macOsPktapNamesTheInnerLinkType() {
        byte[] ether = concat(le32(16), le32(1), le32(1), new byte[4]);
        decodesBoth(258, concat(ether, new byte[12], u16(0x0800)), concat(ether, new byte[12], u16(0x86DD)));
        byte[] nullLink = concat(le32(16), le32(1), le32(0), new byte[4]);
        decodesBoth(258, concat(nullLink, new byte[] {2, 0, 0, 0}), concat(nullLink, new byte[] {30, 0, 0, 0}));
        assertEquals(new DecodeResult.Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_LINK)),
                decoder.decode(frame(258, concat(le32(400), le32(1), le32(1), V4))));
    }

    @Test
    void vxlanCarriesAnInnerEthernetFrame() {
        byte[] udp = concat(u16(50000), u16(4789), u16(8 + 8 + 14 + V4.length), u16(0));
        byte[] vxlan = {0x08, 0, 0, 0, 0, 0, 1, 0};
        byte[] outer = Packets.ipv4(17, new byte[0], 0, concat(udp, vxlan, Packets.ethernet(0x0800, V4)));
        assertEquals("10.0.0.1", decoded(1, Packets.ethernet(0x0800, outer)).src().ip().toString());
        byte[] notVxlan = Packets.ipv4(17, new byte[0], 0, concat(udp, new byte[8], Packets.ethernet(0x0800, V4)));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.UDP)), decoder.decode(frame(1, Packets.ethernet(0x0800, notVxlan))));
    }

    @Test
    void nflogWithoutPayloadIsSkipped() {
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.NFLOG_NO_PAYLOAD)),
                decoder.decode(frame(239, new byte[] {2, 0, 0, 0, 8, 0, 10, 0, 'a', 'b', 'c', 'd'})));
    }

    @Test
    void unsupportedLinkTypeIsSkippedWithItsNumber() {
        assertEquals(new DecodeResult.Skipped(new DecodeProblem(DecodeReason.LINK_TYPE, 147)), decoder.decode(frame(147, V4)));
    }

    @Test
    void nonIpTrafficIsSkippedByName() {
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.ARP)), decoder.decode(frame(1, ethernet(0x0806, new byte[28]))));
        assertEquals(new DecodeResult.Skipped(new DecodeProblem(DecodeReason.ETHER_TYPE, 0x88cc)), decoder.decode(frame(1, ethernet(0x88CC, new byte[28]))));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.LLC)), decoder.decode(frame(1, ethernet(46, new byte[46]))));
        assertEquals(new DecodeResult.Skipped(new DecodeProblem(DecodeReason.ADDRESS_FAMILY, 7)), decoder.decode(frame(0, new byte[] {7, 0, 0, 0, 0x45})));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.MPLS_NOT_IP)),
                decoder.decode(frame(1, ethernet(0x8847, new byte[] {0, 0, 1, 64, 0, 0, 0, 0}))));
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }
}
