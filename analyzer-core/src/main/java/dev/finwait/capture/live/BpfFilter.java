package dev.finwait.capture.live;

import dev.finwait.capture.FrameFilter;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * A capture filter applied to frames read from files with tcpdump's semantics: libpcap compiles the
 * expression as {@code tcpdump -r} does (on a handle reading a file, optimized, netmask 0) once per
 * link type met, and libpcap's own {@code bpf_filter} runs the program on each frame with its wire
 * length. A frame passes exactly when {@code tcpdump -r FILE 'FILTER'} would print it
 * ({@code FilterCountsTest} compares the counts on every sample and third-party capture).
 *
 * <p>Cost: about 0.6-1 µs a frame, most of it JNA's call and copy (300,000 frames of a generated capture:
 * 190-320 ms filtered against 20-70 ms read alone); a run without a filter pays nothing. Not
 * thread-safe: one reading thread.
 */
public final class BpfFilter implements FrameFilter {
    private static final int SNAPLEN = 262_144;
    private static final int LINKTYPE_NULL = 0;
    private final String expression;
    private final Map<Integer, BpfProgram> programs = new HashMap<>();
    private int lastLinkType = -1;
    private BpfProgram last;

    private BpfFilter(String expression) {
        this.expression = expression;
    }

    /**
     * Checks the expression now, compiled for Ethernet (so a typo is reported before anything is read),
     * or for {@code firstLinkType} when it is known. A link type met later compiles on its first frame.
     *
     * @throws LiveCaptureException {@code BAD_FILTER} with libpcap's one-line reason; {@code LIBPCAP_MISSING}
     */
    public static BpfFilter compile(String expression, int firstLinkType) {
        BpfFilter f = new BpfFilter(expression);
        f.program(firstLinkType);
        return f;
    }

    /** {@return the filter as the user wrote it} */
    public String expression() {
        return expression;
    }

    @Override
    public boolean accepts(int linkType, byte[] data, int offset, int capturedLength, int originalLength) {
        BpfProgram p = linkType == lastLinkType ? last : program(linkType);
        // bpf_filter reads from the start of the array JNA hands it: the frame on its own.
        byte[] frame = offset == 0 && data.length == capturedLength && linkType != LINKTYPE_NULL ? data
                : Arrays.copyOfRange(data, offset, offset + capturedLength);
        if (linkType == LINKTYPE_NULL) {
            inHostOrder(frame, capturedLength);
        }
        return p.applyFilter(frame, originalLength, capturedLength);
    }

    /**
     * BSD loopback's 4-byte address family is in the byte order of the capturing host, and libpcap's
     * program compares it in this host's order: reading a file from a host of the other order, libpcap
     * compiles the swapped value (gencode's "rfile && swapped"). The same effect here: an AF value
     * (always below 256) that reads large in host order is swapped before the program runs.
     */
    private static void inHostOrder(byte[] frame, int length) {
        if (length < 4) {
            return;
        }
        ByteBuffer af = ByteBuffer.wrap(frame, 0, 4).order(ByteOrder.nativeOrder());
        int v = af.getInt(0);
        if ((v & 0xFFFF_FF00) != 0 && (Integer.reverseBytes(v) & 0xFFFF_FF00) == 0) {
            af.putInt(0, Integer.reverseBytes(v));
        }
    }

    private BpfProgram program(int linkType) {
        BpfProgram p = programs.get(linkType);
        if (p == null) {
            // On a handle reading a file of this link type, as tcpdump -r compiles: libpcap's code generator
            // differs for files (BSD loopback matches every BSD's AF_INET6 value in a file, only the host's
            // live). The file holds only a header; Pcaps.compileFilter would also drop libpcap's reason.
            Path header = null;
            try {
                header = headerOnlyFile(linkType);
                try (PcapHandle offline = Pcaps.openOffline(header.toString())) {
                    p = offline.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, netmaskZero());
                }
            } catch (PcapNativeException | NotOpenException e) {
                throw new LiveCaptureException(LiveCaptureException.Kind.BAD_FILTER, "bad capture filter '"
                        + expression + "'" + (linkType == 1 ? "" : " for link type " + linkType) + ": "
                        + Libpcap.reason(e.getMessage()));
            } catch (IOException e) {
                throw new LiveCaptureException(LiveCaptureException.Kind.OTHER,
                        "cannot compile the capture filter: no temporary file (" + e.getMessage() + ")");
            } catch (LinkageError e) {
                throw new LiveCaptureException(LiveCaptureException.Kind.LIBPCAP_MISSING, Libpcap.MISSING);
            } finally {
                if (header != null) {
                    try {
                        Files.deleteIfExists(header);
                    } catch (IOException e) {
                        header.toFile().deleteOnExit();
                    }
                }
            }
            programs.put(linkType, p);
        }
        lastLinkType = linkType;
        last = p;
        return p;
    }

    /** A pcap file with no packets, in this host's byte order (see {@link #inHostOrder}). */
    private static Path headerOnlyFile(int linkType) throws IOException {
        Path f = Files.createTempFile("finwait-filter-", ".pcap");
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(linkType);
        Files.write(f, b.array());
        return f;
    }

    private static Inet4Address netmaskZero() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
