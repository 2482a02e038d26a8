package dev.finwait.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds pcapng blocks in memory (either byte order) for malformation and option tests. */
final class PcapngBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    PcapngBuilder(ByteOrder order) {
        this.order = order;
    }

    /** Section header block with no options; switches the builder to {@code order}. */
    PcapngBuilder section(ByteOrder sectionOrder) {
        order = sectionOrder;
        ByteBuffer body = buffer(16).putInt(PcapngReader.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0)
                .putLong(-1);
        return block(PcapngReader.SECTION_HEADER, body.array());
    }

    PcapngBuilder section() {
        return section(order);
    }

    /** Interface description; {@code tsresol} < 0 leaves the option out; {@code tsoffset} 0 leaves it out. */
    PcapngBuilder iface(int linkType, int snaplen, int tsresol, long tsoffset) {
        ByteBuffer body = buffer(8 + 8 + 12 + 4).putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        if (tsresol >= 0) {
            body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        }
        if (tsoffset != 0) {
            body.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
        }
        body.putShort((short) 0).putShort((short) 0);
        return block(1, java.util.Arrays.copyOf(body.array(), body.position()));
    }

    /** Interface description with any options ({@link #options} builds them). */
    PcapngBuilder iface(int linkType, int snaplen, byte[] options) {
        ByteBuffer body = buffer(8 + options.length).putShort((short) linkType).putShort((short) 0).putInt(snaplen)
                .put(options);
        return block(1, body.array());
    }

    PcapngBuilder iface(int linkType) {
        return iface(linkType, 65535, -1, 0);
    }

    PcapngBuilder epb(int iface, long units, byte[] data) {
        return epb(iface, units, data.length, data.length, data);
    }

    PcapngBuilder epb(int iface, long units, int caplen, int origlen, byte[] data) {
        ByteBuffer body = buffer(20 + pad(data.length)).putInt(iface).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(caplen).putInt(origlen).put(data);
        return block(6, body.array());
    }

    /** An enhanced packet block with options after the data ({@link #options} builds them). */
    PcapngBuilder epb(int iface, long units, byte[] data, byte[] options) {
        ByteBuffer body = buffer(20 + pad(data.length) + options.length).putInt(iface).putInt((int) (units >>> 32))
                .putInt((int) units).putInt(data.length).putInt(data.length).put(data);
        body.position(20 + pad(data.length));
        body.put(options);
        return block(6, body.array());
    }

    /** A section header block with options (shb_hardware, shb_os, shb_userappl, ...); switches the byte order. */
    PcapngBuilder section(ByteOrder sectionOrder, byte[] options) {
        order = sectionOrder;
        ByteBuffer body = buffer(16 + options.length).putInt(PcapngReader.BYTE_ORDER_MAGIC).putShort((short) 1)
                .putShort((short) 0).putLong(-1).put(options);
        return block(PcapngReader.SECTION_HEADER, body.array());
    }

    /** Options in the current byte order: {@code code, value, code, value, ...}, then opt_endofopt. */
    byte[] options(Object... codesAndValues) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < codesAndValues.length; i += 2) {
            byte[] value = (byte[]) codesAndValues[i + 1];
            o.writeBytes(buffer(4).putShort((short) (int) (Integer) codesAndValues[i]).putShort((short) value.length).array());
            o.writeBytes(java.util.Arrays.copyOf(value, pad(value.length)));
        }
        o.writeBytes(new byte[4]);
        return o.toByteArray();
    }

    /** Bytes written so far: the file offset of the next block. */
    int size() {
        return out.size();
    }

    PcapngBuilder spb(int origlen, byte[] data) {
        return block(3, buffer(4 + pad(data.length)).putInt(origlen).put(data).array());
    }

    PcapngBuilder obsolete(int iface, long units, byte[] data) {
        ByteBuffer body = buffer(20 + pad(data.length)).putShort((short) iface).putShort((short) 0)
                .putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt(data.length).put(data);
        return block(2, body.array());
    }

    /** A block with a correct framing around {@code body} (which must be padded by the caller). */
    PcapngBuilder block(int type, byte[] body) {
        int total = 12 + body.length;
        out.writeBytes(buffer(8).putInt(type).putInt(total).array());
        out.writeBytes(body);
        out.writeBytes(buffer(4).putInt(total).array());
        return this;
    }

    PcapngBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(order);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }
}
