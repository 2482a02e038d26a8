package dev.finwait.decode;

import dev.finwait.model.DecodeReason;
import dev.finwait.model.DecodeProblem;
import static dev.finwait.decode.Packets.concat;
import static dev.finwait.decode.Packets.ethernet;
import static dev.finwait.decode.Packets.frame;
import static dev.finwait.decode.Packets.ipv4;
import static dev.finwait.decode.Packets.ipv6;
import static dev.finwait.decode.Packets.snapped;
import static dev.finwait.decode.Packets.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.finwait.capture.Frame;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.Segment.Checksum;
import dev.finwait.tcp.TcpFlags;
import dev.finwait.tcp.TcpOptions;
import org.junit.jupiter.api.Test;

/** TCP fields, options, lengths and checksums; IP fragments and IPv6 extension chains. */
class DecoderTcpTest {
    private static final int SYN_ACK = TcpFlags.SYN | TcpFlags.ACK;

    private final Decoder decoder = new Decoder(true);

    private Segment segment(Frame f) {
        DecodeResult r = decoder.decode(f);
        return assertInstanceOf(DecodeResult.Decoded.class, r, r.toString()).segment();
    }

    private static Frame eth4(byte[] tcp) {
        return frame(1, ethernet(0x0800, ipv4(tcp)));
    }

    @Test
    void readsEveryHeaderField() {
        byte[] t = tcp(40000, 443, 0xFEDC_BA98, 0x0123_4567, SYN_ACK | TcpFlags.ECE, 29200, new byte[0], new byte[] {1, 2, 3});
        Segment s = segment(new Frame(17, 99_000, 1, ethernet(0x0800, ipv4(t)), 0, 57, 57, 100));
        assertEquals(17, s.frame());
        assertEquals(99_000, s.timeNanos());
        assertEquals(Endpoint.of("10.0.0.1", 40000), s.src());
        assertEquals(Endpoint.of("10.0.0.2", 443), s.dst());
        assertEquals(0xFEDC_BA98, s.seq());
        assertEquals(0x0123_4567, s.ack());
        assertEquals(SYN_ACK | TcpFlags.ECE, s.flags());
        assertEquals(29200, s.window());
        assertEquals(3, s.payloadLength());
        assertSame(TcpOptions.NONE, s.options());
        assertEquals(Checksum.GOOD, s.checksum());
    }

    @Test
    void readsMssWindowScaleSackPermittedAndTimestamps() {
        byte[] opts = {2, 4, 0x05, (byte) 0xB4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0, 0};
        Segment s = segment(eth4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, opts, new byte[0])));
        assertEquals(new TcpOptions(1460, 7, true, 5, 0xFFFF_FFFEL, false), s.options());
        assertTrue(s.options().hasTimestamps());
    }

    @Test
    void theCommonNopNopTimestampsLayoutReadsLikeAnyOther() {
        byte[] common = {1, 1, 8, 10, (byte) 0x80, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
        TcpOptions expected = new TcpOptions(-1, -1, false, 0x8000_0001L, 0xFFFF_FFFEL, false);
        assertEquals(expected, segment(eth4(tcp(1, 2, 3, 4, TcpFlags.ACK, 5, common, new byte[0]))).options());
        // The same option after EOL padding elsewhere, and near misses of the layout, go the general way.
        byte[] shifted = {8, 10, (byte) 0x80, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 1, 1};
        assertEquals(expected, segment(eth4(tcp(1, 2, 3, 4, TcpFlags.ACK, 5, shifted, new byte[0]))).options());
        byte[] badLength = {1, 1, 8, 9, 0, 0, 0, 1, 0, 0, 0, 2};
        assertEquals(null, new TcpOptionsParser().parse(badLength, 0, 12, 12));
        byte[] cut = common.clone();
        assertEquals(TcpOptions.NONE, new TcpOptionsParser().parse(cut, 0, 12, 8)); // timestamps not all captured
    }

    @Test
    void readsTfoCookieInKind34AndInTheExperimentalOption() {
        byte[] kind34 = {34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1};
        assertTrue(segment(eth4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, kind34, new byte[0]))).options().fastOpen());
        byte[] experimental = {(byte) 254, 12, (byte) 0xF9, (byte) 0x89, 1, 2, 3, 4, 5, 6, 7, 8};
        assertTrue(segment(eth4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, experimental, new byte[0]))).options().fastOpen());
        byte[] otherExperiment = {(byte) 254, 4, 0x12, 0x34};
        assertFalse(segment(eth4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, otherExperiment, new byte[0]))).options().fastOpen());
    }

    @Test
    void badChecksumIsReported() {
        byte[] bytes = ethernet(0x0800, ipv4(tcp(TcpFlags.ACK, new byte[] {9})));
        bytes[bytes.length - 1] = 8;
        assertEquals(Checksum.BAD, segment(frame(1, bytes)).checksum());
    }

    @Test
    void checksumIsUncheckedWhenTurnedOff() {
        assertEquals(Checksum.UNCHECKED, new Decoder(false).decode(eth4(tcp(TcpFlags.ACK, new byte[0])))
                instanceof DecodeResult.Decoded d ? d.segment().checksum() : null);
    }

    @Test
    void ipv6ChecksumIsVerified() {
        byte[] bytes = ethernet(0x86DD, ipv6(tcp(TcpFlags.ACK, new byte[] {1, 2, 3, 4, 5})));
        assertEquals(Checksum.GOOD, segment(frame(1, bytes)).checksum());
        bytes[bytes.length - 1] ^= 1;
        assertEquals(Checksum.BAD, segment(frame(1, bytes)).checksum());
    }

    @Test
    void snappedFrameKeepsTheTruePayloadLengthAndSkipsTheChecksum() {
        byte[] bytes = ethernet(0x0800, ipv4(tcp(TcpFlags.ACK, new byte[1000])));
        Segment s = segment(snapped(1, bytes, 54));
        assertEquals(1000, s.payloadLength());
        assertEquals(Checksum.UNCHECKED, s.checksum());
    }

    @Test
    void optionsCutBySnaplenKeepWhatWasCaptured() {
        byte[] opts = {2, 4, 0x05, (byte) 0xB4, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0};
        byte[] bytes = ethernet(0x0800, ipv4(tcp(1, 2, 3, 4, TcpFlags.SYN, 5, opts, new byte[0])));
        Segment s = segment(snapped(1, bytes, 14 + 20 + 20 + 6));
        assertEquals(1460, s.options().mss());
        assertFalse(s.options().hasTimestamps());
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] bytes = concat(ethernet(0x0800, ipv4(tcp(TcpFlags.ACK, new byte[0]))), new byte[6]);
        Segment s = segment(frame(1, bytes));
        assertEquals(0, s.payloadLength());
        assertEquals(Checksum.GOOD, s.checksum());
    }

    @Test
    void zeroIpTotalLengthFromSegmentationOffloadUsesTheFrameLength() {
        byte[] bytes = ethernet(0x0800, ipv4(tcp(TcpFlags.ACK, new byte[3000])));
        bytes[14 + 2] = 0;
        bytes[14 + 3] = 0;
        Segment s = segment(frame(1, bytes));
        assertEquals(3000, s.payloadLength());
        assertEquals(Checksum.UNCHECKED, s.checksum());
    }

    @Test
    void ipv4OptionsAreSkipped() {
        byte[] routerAlert = {(byte) 148, 4, 0, 0};
        byte[] bytes = ethernet(0x0800, ipv4(6, routerAlert, 0, tcp(TcpFlags.ACK, new byte[7])));
        Segment s = segment(frame(1, bytes));
        assertEquals(7, s.payloadLength());
        assertEquals(Checksum.GOOD, s.checksum());
    }

    @Test
    void ipv4FragmentsAreSkippedNotParsed() {
        byte[] tcp = tcp(TcpFlags.ACK, new byte[16]);
        DecodeResult first = decoder.decode(frame(1, ethernet(0x0800, ipv4(6, new byte[0], 0x2000, tcp))));
        DecodeResult later = decoder.decode(frame(1, ethernet(0x0800, ipv4(6, new byte[0], 0x0003, tcp))));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.IPV4_FRAGMENT)), first);
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.IPV4_FRAGMENT)), later);
        // Don't-fragment alone is a whole packet.
        assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(frame(1, ethernet(0x0800, ipv4(6, new byte[0], 0x4000, tcp)))));
    }

    @Test
    void otherIpProtocolsAreSkippedByName() {
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.UDP)), decoder.decode(frame(101, ipv4(17, new byte[0], 0, new byte[8]))));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.ICMP)), decoder.decode(frame(101, ipv4(1, new byte[0], 0, new byte[8]))));
        assertEquals(new DecodeResult.Skipped(new DecodeProblem(DecodeReason.IP_PROTOCOL, 132)), decoder.decode(frame(101, ipv4(132, new byte[0], 0, new byte[8]))));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.ICMPV6)), decoder.decode(frame(101, ipv6(58, new byte[0], new byte[8]))));
    }

    /**
     * tshark's {@code -Y tcp} also matches the TCP header quoted inside an ICMP error (and gives it a
     * tcp.stream); that header was never on this wire as a segment, so we skip the frame as ICMP.
     * The corpus has no such frame, so the counts still agree there.
     */
    @Test
    void icmpErrorQuotingATcpHeaderIsSkippedAsIcmp() {
        byte[] unreachable = {3, 3, 0, 0, 0, 0, 0, 0};
        byte[] quoted = ipv4(tcp(TcpFlags.SYN, new byte[0]));
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.ICMP)),
                decoder.decode(frame(1, ethernet(0x0800, ipv4(1, new byte[0], 0, concat(unreachable, quoted))))));
    }

    @Test
    void ipv6ExtensionChainLeadsToTcp() {
        byte[] hopByHop = {60, 0, 1, 4, 0, 0, 0, 0}; // next: destination options
        byte[] destination = {43, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // 16 bytes, next: routing
        byte[] routing = {51, 0, 0, 0, 0, 0, 0, 0}; // next: AH
        byte[] ah = {6, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // (4+2)*4 = 24 bytes, next: TCP
        byte[] bytes = ipv6(0, concat(hopByHop, destination, routing, ah), tcp(TcpFlags.ACK, new byte[11]));
        Segment s = segment(frame(229, bytes));
        assertEquals(11, s.payloadLength());
        assertEquals(Checksum.GOOD, s.checksum());
    }

    @Test
    void ipv6FragmentIsSkippedUnlessAtomic() {
        byte[] firstOfMany = {6, 0, 0, 1, 0, 0, 0, 9};
        byte[] atomic = {6, 0, 0, 0, 0, 0, 0, 9};
        byte[] tcp = tcp(TcpFlags.ACK, new byte[4]);
        assertEquals(new DecodeResult.Skipped(DecodeProblem.of(DecodeReason.IPV6_FRAGMENT)), decoder.decode(frame(229, ipv6(44, firstOfMany, tcp))));
        assertEquals(4, segment(frame(229, ipv6(44, atomic, tcp))).payloadLength());
    }

    @Test
    void reasonsAreSharedInstances() {
        Frame arp = frame(1, ethernet(0x0806, new byte[28]));
        assertSame(decoder.decode(arp), decoder.decode(arp));
        Frame lldp = frame(1, ethernet(0x88CC, new byte[28]));
        assertSame(decoder.decode(lldp), new Decoder(false).decode(lldp));
    }
}
