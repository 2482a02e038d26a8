package dev.finwait.capture.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/** Loading libpcap through pcap4j/JNA, and turning its failures into one-line messages. */
final class Libpcap {
    static final String MISSING = "libpcap not found: install it (apt-get install libpcap0.8)";

    private Libpcap() {
    }

    static List<String> interfaceNames() {
        try {
            List<String> names = new ArrayList<>();
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
                names.add(nif.getName());
            }
            return names;
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(LiveCaptureException.Kind.OTHER, "cannot list interfaces: " + e.getMessage());
        } catch (LinkageError e) {
            throw new LiveCaptureException(LiveCaptureException.Kind.LIBPCAP_MISSING, MISSING);
        }
    }

    /**
     * libpcap reports DLT values, capture files carry LINKTYPE values; they differ for raw IP
     * (DLT_RAW is 12 or 14 depending on the platform, LINKTYPE_RAW is 101).
     */
    static int linkTypeOf(int dlt) {
        return dlt == 12 || dlt == 14 ? 101 : dlt;
    }

    /** libpcap's own words, without the prefix pcap4j puts before them. */
    static String reason(String pcap4jMessage) {
        String m = String.valueOf(pcap4jMessage);
        String prefix = "Error occurred in pcap_compile: ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** libpcap says "permission"/"not permitted" when the process lacks CAP_NET_RAW. */
    static boolean isPermissionProblem(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("permission") || m.contains("not permitted");
    }

    /**
     * Root, or the capability on a runtime of finwait's own: never {@code setcap} on the system's java,
     * which would hand raw sockets to every Java program on the machine.
     */
    static String permissionMessage(String ifname) {
        return "permission denied opening '" + ifname + "': capture needs root or CAP_NET_RAW: run it with sudo, "
                + "or grant the capability to a Java runtime of finwait's own (README: \"Capturing without root\"), "
                + "not to the system's java";
    }
}
