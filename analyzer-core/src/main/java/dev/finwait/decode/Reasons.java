package dev.finwait.decode;

import dev.finwait.decode.DecodeResult.Malformed;
import dev.finwait.decode.DecodeResult.Skipped;
import dev.finwait.model.DecodeProblem;
import dev.finwait.model.DecodeReason;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** The shared Skipped / Malformed instances, so the hot path allocates nothing for common cases. */
final class Reasons {
    static final Skipped ARP = new Skipped(DecodeProblem.of(DecodeReason.ARP));
    static final Skipped UDP = new Skipped(DecodeProblem.of(DecodeReason.UDP));
    static final Skipped ICMP = new Skipped(DecodeProblem.of(DecodeReason.ICMP));
    static final Skipped ICMPV6 = new Skipped(DecodeProblem.of(DecodeReason.ICMPV6));
    static final Skipped IPV4_FRAGMENT = new Skipped(DecodeProblem.of(DecodeReason.IPV4_FRAGMENT));
    static final Skipped IPV6_FRAGMENT = new Skipped(DecodeProblem.of(DecodeReason.IPV6_FRAGMENT));
    static final Skipped IPV6_NO_NEXT_HEADER = new Skipped(DecodeProblem.of(DecodeReason.IPV6_NO_NEXT_HEADER));
    static final Skipped LLC = new Skipped(DecodeProblem.of(DecodeReason.LLC));
    static final Skipped MPLS_NOT_IP = new Skipped(DecodeProblem.of(DecodeReason.MPLS_NOT_IP));
    static final Skipped PPPOE_DISCOVERY = new Skipped(DecodeProblem.of(DecodeReason.PPPOE_DISCOVERY));
    static final Skipped GRE_VERSION = new Skipped(DecodeProblem.of(DecodeReason.GRE_VERSION));
    static final Skipped GRE_ROUTING = new Skipped(DecodeProblem.of(DecodeReason.GRE_ROUTING));
    static final Skipped NFLOG_NO_PAYLOAD = new Skipped(DecodeProblem.of(DecodeReason.NFLOG_NO_PAYLOAD));

    static final Malformed TRUNCATED_LINK = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_LINK));
    static final Malformed TRUNCATED_IPV4 = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_IPV4));
    static final Malformed TRUNCATED_IPV6 = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_IPV6));
    static final Malformed TRUNCATED_IPV6_EXT = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_IPV6_EXT));
    static final Malformed IPV6_CHAIN_TOO_LONG = new Malformed(DecodeProblem.of(DecodeReason.IPV6_CHAIN_TOO_LONG));
    static final Malformed TRUNCATED_TCP = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_TCP));
    static final Malformed TCP_OPTIONS_OVERRUN = new Malformed(DecodeProblem.of(DecodeReason.TCP_OPTIONS_OVERRUN));
    static final Malformed TCP_HEADER_BEYOND_IP = new Malformed(DecodeProblem.of(DecodeReason.TCP_HEADER_BEYOND_IP));
    static final Malformed IP_LENGTH_BEYOND_FRAME = new Malformed(DecodeProblem.of(DecodeReason.IP_LENGTH_BEYOND_FRAME));
    static final Malformed IPV4_LENGTH_SHORT = new Malformed(DecodeProblem.of(DecodeReason.IPV4_LENGTH_SHORT));
    static final Malformed EMPTY_RAW = new Malformed(DecodeProblem.of(DecodeReason.EMPTY_RAW));
    static final Malformed TRUNCATED_GRE = new Malformed(DecodeProblem.of(DecodeReason.TRUNCATED_GRE));
    static final Malformed TUNNELS_TOO_DEEP = new Malformed(DecodeProblem.of(DecodeReason.TUNNELS_TOO_DEEP));
    static final Malformed NFLOG_BAD_TLV = new Malformed(DecodeProblem.of(DecodeReason.NFLOG_BAD_TLV));

    private static final Cache<Skipped> LINK_TYPES = new Cache<>(t -> new Skipped(new DecodeProblem(DecodeReason.LINK_TYPE, t)));
    private static final Cache<Skipped> ETHER_TYPES = new Cache<>(t -> new Skipped(new DecodeProblem(DecodeReason.ETHER_TYPE, t)));
    private static final Cache<Skipped> IP_PROTOCOLS = new Cache<>(p -> new Skipped(new DecodeProblem(DecodeReason.IP_PROTOCOL, p)));
    private static final Cache<Skipped> LINK_FAMILIES = new Cache<>(f -> new Skipped(new DecodeProblem(DecodeReason.ADDRESS_FAMILY, f)));
    private static final Cache<Skipped> PPP_PROTOCOLS = new Cache<>(p -> new Skipped(new DecodeProblem(DecodeReason.PPP_PROTOCOL, p)));
    private static final Cache<Malformed> DATA_OFFSETS = new Cache<>(d -> new Malformed(new DecodeProblem(DecodeReason.TCP_DATA_OFFSET, d)));
    private static final Cache<Malformed> IHLS = new Cache<>(i -> new Malformed(new DecodeProblem(DecodeReason.IPV4_IHL, i)));
    private static final Cache<Malformed> IP_VERSIONS = new Cache<>(v -> new Malformed(new DecodeProblem(DecodeReason.IP_VERSION, v)));

    private Reasons() {
    }

    static Skipped linkType(int t) {
        return LINK_TYPES.get(t);
    }

    static Skipped etherType(int t) {
        return ETHER_TYPES.get(t);
    }

    static Skipped ipProtocol(int p) {
        return IP_PROTOCOLS.get(p);
    }

    static Skipped family(int f) {
        return LINK_FAMILIES.get(f);
    }

    static Skipped pppProtocol(int p) {
        return PPP_PROTOCOLS.get(p);
    }

    static Malformed dataOffset(int d) {
        return DATA_OFFSETS.get(d);
    }

    static Malformed ihl(int i) {
        return IHLS.get(i);
    }

    static Malformed ipVersion(int v) {
        return IP_VERSIONS.get(v);
    }

    /** Interns one instance per key; bounded, so hostile input cannot grow it without limit. */
    private static final class Cache<T> {
        private static final int MAX = 4096;
        private final ConcurrentHashMap<Integer, T> map = new ConcurrentHashMap<>();
        private final IntFunction<T> make;

        Cache(IntFunction<T> make) {
            this.make = make;
        }

        T get(int key) {
            T v = map.get(key);
            if (v != null) {
                return v;
            }
            v = make.apply(key);
            if (map.size() < MAX) {
                map.putIfAbsent(key, v);
            }
            return v;
        }
    }
}
