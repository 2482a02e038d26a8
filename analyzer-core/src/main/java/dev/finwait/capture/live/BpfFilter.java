package dev.finwait.capture.live;

import dev.finwait.capture.FrameFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A capture filter applied to frames read from files with tcpdump's semantics: libpcap compiles the
 * expression (optimized, netmask 0, as {@code tcpdump -r} does) once per link type met, and libpcap's
 * own {@code bpf_filter} runs the program on each frame with its wire length. A frame then passes
 * exactly when {@code tcpdump -r FILE 'FILTER'} would print it.
 *
 * <p>Not thread-safe: one reading thread.
 */
public final class BpfFilter implements FrameFilter {
    private static final int SNAPLEN = 262_144;
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

    public String expression() {
        return expression;
    }

    @Override
    public boolean accepts(int linkType, byte[] data, int offset, int capturedLength, int originalLength) {
        BpfProgram p = linkType == lastLinkType ? last : program(linkType);
        // bpf_filter reads from the start of the array JNA hands it: the frame on its own.
        byte[] frame = offset == 0 && data.length == capturedLength ? data
                : java.util.Arrays.copyOfRange(data, offset, offset + capturedLength);
        return p.applyFilter(frame, originalLength, capturedLength);
    }

    private BpfProgram program(int linkType) {
        BpfProgram p = programs.get(linkType);
        if (p == null) {
            // On a dead handle rather than Pcaps.compileFilter, whose message leaves out libpcap's reason.
            try (PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(dltOf(linkType)), SNAPLEN)) {
                p = dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, netmaskZero());
            } catch (PcapNativeException | NotOpenException e) {
                throw new LiveCaptureException(LiveCaptureException.Kind.BAD_FILTER, "bad capture filter '"
                        + expression + "'" + (linkType == 1 ? "" : " for link type " + linkType) + ": "
                        + Libpcap.reason(e.getMessage()));
            } catch (LinkageError e) {
                throw new LiveCaptureException(LiveCaptureException.Kind.LIBPCAP_MISSING, Libpcap.MISSING);
            }
            programs.put(linkType, p);
        }
        lastLinkType = linkType;
        last = p;
        return p;
    }

    /** Capture files carry LINKTYPE values, libpcap's compiler takes DLT values; they differ below 104. */
    static int dltOf(int linkType) {
        return switch (linkType) {
            case 100 -> 11; // ATM_RFC1483
            case 101 -> 12; // RAW (Linux's DLT_RAW)
            case 102 -> 15; // SLIP_BSDOS
            case 103 -> 16; // PPP_BSDOS
            case 106 -> 19; // ATM_CLIP
            default -> linkType;
        };
    }

    private static Inet4Address netmaskZero() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
