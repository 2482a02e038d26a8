package dev.finwait.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Test scope: rewrites a classic pcap as pcapng the way {@code editcap -F pcapng} lays it out (a section
 * header with options, one interface with its {@code if_tsresol}, one enhanced packet block per
 * record), with a comment option on every seventh packet, so the fuzz campaign has large pcapng seeds
 * without a Wireshark tool at hand.
 */
public final class PcapToPcapng {
    private PcapToPcapng() {
    }

    public static byte[] convert(byte[] pcap) {
        ByteBuffer in = ByteBuffer.wrap(pcap).order(ByteOrder.BIG_ENDIAN);
        int magic = in.getInt(0);
        if (magic != PcapReader.MAGIC_MICROS && magic != PcapReader.MAGIC_NANOS) {
            in.order(ByteOrder.LITTLE_ENDIAN);
            magic = in.getInt(0);
        }
        boolean nanos = magic == PcapReader.MAGIC_NANOS;
        int snaplen = in.getInt(16);
        int linkType = in.getInt(20);
        PcapngBuilder b = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN);
        b.section(ByteOrder.LITTLE_ENDIAN, b.options(4, text("finwait PcapToPcapng")));
        b.iface(linkType, snaplen, b.options(2, text("gen0"), 9, new byte[] {(byte) (nanos ? 9 : 6)}));
        int at = 24;
        for (int n = 0; at + 16 <= pcap.length; n++) {
            long seconds = in.getInt(at) & 0xFFFF_FFFFL;
            long fraction = in.getInt(at + 4) & 0xFFFF_FFFFL;
            int caplen = in.getInt(at + 8);
            int origlen = in.getInt(at + 12);
            byte[] data = Arrays.copyOfRange(pcap, at + 16, at + 16 + caplen);
            long units = seconds * (nanos ? 1_000_000_000L : 1_000_000L) + fraction;
            if (n % 7 == 3 && caplen == origlen) {
                b.epb(0, units, data, b.options(1, text("packet " + (n + 1))));
            } else {
                b.epb(0, units, caplen, origlen, data);
            }
            at += 16 + caplen;
        }
        return b.bytes();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
