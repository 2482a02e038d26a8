package dev.finwait.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames as a classic pcap file with nanosecond timestamps (magic {@code A1B23C4D}, little-endian), readable by tcpdump, tshark and {@link CaptureReaders}. The header
 * takes the link type of the first frame; pcap has one link type per file, so a frame of another one
 * is refused. Header layout: see {@link PcapReader}.
 */
public final class PcapWriter implements AutoCloseable {
    /** libpcap's MAXIMUM_SNAPLEN: no frame we read is longer. */
    static final int SNAPLEN = 262_144;

    /** Writing failed; the message names the file. */
    public static final class WriteException extends IOException {
        WriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path path;
    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    private int linkType = -1;

    private PcapWriter(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** Creates (or truncates) the file now, so that a bad path fails before anything is read. */
    public static PcapWriter create(Path path) throws IOException {
        return new PcapWriter(path, new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
    }

    /**
     * Appends one frame; the first one's link type becomes the file's.
     *
     * @param timeNanos      capture time, nanoseconds since the epoch
     * @param frameLinkType  the frame's LINKTYPE_* value: must be the first frame's
     * @param data           holds the frame's bytes
     * @param offset         where they start in {@code data}
     * @param capturedLength how many bytes were captured (written)
     * @param originalLength its length on the wire
     * @throws WriteException the file could not be written, or the link type differs from the file's
     */
    public void write(long timeNanos, int frameLinkType, byte[] data, int offset, int capturedLength,
                      int originalLength) throws WriteException {
        try {
            if (linkType < 0) {
                header(frameLinkType);
            } else if (frameLinkType != linkType) {
                throw new WriteException(path + ": a pcap file holds one link type: this frame's is " + frameLinkType
                        + ", the file's " + linkType, null);
            }
            record.clear();
            record.putInt((int) Math.floorDiv(timeNanos, 1_000_000_000L)).putInt((int) Math.floorMod(timeNanos, 1_000_000_000L))
                    .putInt(capturedLength).putInt(originalLength);
            out.write(record.array(), 0, 16);
            out.write(data, offset, capturedLength);
        } catch (WriteException e) {
            throw e;
        } catch (IOException e) {
            throw new WriteException(path + ": " + e.getMessage(), e);
        }
    }

    /** Version 2.4, no time zone or accuracy, the snap length, the link type. */
    private void header(int type) throws IOException {
        linkType = type;
        record.clear();
        record.putInt(PcapReader.MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(SNAPLEN).putInt(type);
        out.write(record.array(), 0, 24);
    }

    @Override
    public void close() throws WriteException {
        try {
            if (linkType < 0) {
                header(1); // no frame passed: still a valid, empty capture (tcpdump writes one too), as Ethernet
            }
            out.close();
        } catch (IOException e) {
            throw new WriteException(path + ": " + e.getMessage(), e);
        }
    }
}
