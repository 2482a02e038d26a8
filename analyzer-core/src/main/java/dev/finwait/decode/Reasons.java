package dev.finwait.decode;

import dev.finwait.decode.DecodeResult.Malformed;
import dev.finwait.decode.DecodeResult.Skipped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** The shared Skipped / Malformed instances, so the hot path allocates nothing for common cases. */
final class Reasons {
    static final Skipped ARP = new Skipped("arp");
    static final Skipped UDP = new Skipped("udp");
    static final Skipped ICMP = new Skipped("icmp");
    static final Skipped ICMPV6 = new Skipped("icmpv6");
    static final Skipped IPV4_FRAGMENT = new Skipped("ipv4 fragment");
    static final Skipped IPV6_FRAGMENT = new Skipped("ipv6 fragment");
    static final Skipped IPV6_NO_NEXT_HEADER = new Skipped("ipv6 no next header");
    static final Skipped LLC = new Skipped("802.3 llc");
    static final Skipped MPLS_NOT_IP = new Skipped("mpls payload not ip");
    static final Skipped PPPOE_DISCOVERY = new Skipped("pppoe discovery");
    static final Skipped GRE_VERSION = new Skipped("gre version not 0");
    static final Skipped GRE_ROUTING = new Skipped("gre with routing");
    static final Skipped NFLOG_NO_PAYLOAD = new Skipped("nflog without payload");

    static final Malformed TRUNCATED_LINK = new Malformed("truncated link header");
    static final Malformed TRUNCATED_IPV4 = new Malformed("truncated ipv4 header");
    static final Malformed TRUNCATED_IPV6 = new Malformed("truncated ipv6 header");
    static final Malformed TRUNCATED_IPV6_EXT = new Malformed("truncated ipv6 extension header");
    static final Malformed IPV6_CHAIN_TOO_LONG = new Malformed("ipv6 extension header chain too long");
    static final Malformed TRUNCATED_TCP = new Malformed("truncated tcp header");
    static final Malformed TCP_OPTIONS_OVERRUN = new Malformed("tcp options overrun header");
    static final Malformed TCP_HEADER_BEYOND_IP = new Malformed("tcp header beyond ip payload");
    static final Malformed IP_LENGTH_BEYOND_FRAME = new Malformed("ip total length beyond frame");
    static final Malformed IPV4_LENGTH_SHORT = new Malformed("ipv4 total length < header length");
    static final Malformed EMPTY_RAW = new Malformed("empty raw ip packet");
    static final Malformed TRUNCATED_GRE = new Malformed("truncated gre header");
    static final Malformed TUNNELS_TOO_DEEP = new Malformed("more than 3 nested tunnels");
    static final Malformed NFLOG_BAD_TLV = new Malformed("nflog tlv overruns frame");

    private static final Cache<Skipped> LINK_TYPES = new Cache<>(t -> new Skipped("link type " + t + " not supported"));
    private static final Cache<Skipped> ETHER_TYPES = new Cache<>(t -> new Skipped(String.format("ethertype 0x%04x", t)));
    private static final Cache<Skipped> IP_PROTOCOLS = new Cache<>(p -> new Skipped("ip protocol " + p));
    private static final Cache<Skipped> LINK_FAMILIES = new Cache<>(f -> new Skipped("address family " + f));
    private static final Cache<Skipped> PPP_PROTOCOLS = new Cache<>(p -> new Skipped(String.format("ppp protocol 0x%04x", p)));
    private static final Cache<Malformed> DATA_OFFSETS = new Cache<>(d -> new Malformed("tcp data offset " + d + " < 5"));
    private static final Cache<Malformed> IHLS = new Cache<>(i -> new Malformed("ipv4 ihl " + i + " < 5"));
    private static final Cache<Malformed> IP_VERSIONS = new Cache<>(v -> new Malformed("ip version " + v));

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
