package dev.finwait.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds classic pcap bytes in memory, in either byte order, for malformation tests. */
final class PcapBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    private PcapBuilder(ByteOrder order) {
        this.order = order;
    }

    static PcapBuilder pcap(int magic, ByteOrder order, int snaplen, int linkType) {
        PcapBuilder b = new PcapBuilder(order);
        b.put(ByteBuffer.allocate(24).order(order).putInt(magic).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(snaplen).putInt(linkType));
        return b;
    }

    static PcapBuilder micros() {
        return pcap(PcapReader.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 65535, 1);
    }

    PcapBuilder record(long seconds, long fraction, int caplen, int origlen, byte[] data) {
        put(ByteBuffer.allocate(16).order(order).putInt((int) seconds).putInt((int) fraction).putInt(caplen)
                .putInt(origlen));
        out.writeBytes(data);
        return this;
    }

    PcapBuilder record(long seconds, long fraction, byte[] data) {
        return record(seconds, fraction, data.length, data.length, data);
    }

    PcapBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void put(ByteBuffer b) {
        out.writeBytes(b.array());
    }
}
