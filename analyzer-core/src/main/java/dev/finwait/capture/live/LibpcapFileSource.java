package dev.finwait.capture.live;

import dev.finwait.capture.CaptureFormatException;
import dev.finwait.capture.Frame;
import dev.finwait.capture.FrameSource;
import java.io.EOFException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * A capture file read by libpcap (through pcap4j) instead of our own reader: for file variants our
 * reader rejects ({@code --reader libpcap}), and as an independent reading in tests.
 */
public final class LibpcapFileSource implements FrameSource {
    private final PcapHandle handle;
    private final String name;
    private final int linkType;
    private long frames;

    private LibpcapFileSource(PcapHandle handle, String name) {
        this.handle = handle;
        this.name = name;
        this.linkType = Libpcap.linkTypeOf(handle.getDlt().value());
    }

    /**
     * {@return a reader of {@code file} through libpcap's own {@code pcap_open_offline}: the cross-check for
     * our reader, and the way to read a file it rejects}
     *
     * @throws CaptureFormatException libpcap cannot read the file, or libpcap is missing
     */
    public static LibpcapFileSource open(Path file) {
        try {
            return new LibpcapFileSource(Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO),
                    file.getFileName().toString());
        } catch (PcapNativeException e) {
            throw new CaptureFormatException(0, "libpcap cannot read " + file + ": " + e.getMessage());
        } catch (LinkageError e) {
            throw new CaptureFormatException(0, Libpcap.MISSING);
        }
    }

    @Override
    public Frame next() {
        byte[] packet;
        try {
            packet = handle.getNextRawPacketEx();
        } catch (EOFException e) {
            return null;
        } catch (PcapNativeException e) {
            throw new CaptureFormatException(-1, "libpcap: " + e.getMessage() + " after frame " + frames);
        } catch (TimeoutException | NotOpenException e) {
            return null;
        }
        Timestamp ts = handle.getTimestamp();
        Integer original = handle.getOriginalLength();
        long nanos = TimeUnit.MILLISECONDS.toNanos(Math.floorDiv(ts.getTime(), 1000) * 1000) + ts.getNanos();
        return new Frame(++frames, nanos, linkType, packet, 0, packet.length,
                original == null ? packet.length : original, -1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        handle.close();
    }
}
