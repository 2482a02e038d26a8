package dev.finwait.decode;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;

/**
 * Recently decoded endpoints, so that the segments of one flow share their two {@link Endpoint}s (and
 * addresses) instead of allocating four objects per packet (a fifth of what a packet allocated). A
 * direct-mapped table: a slot holds the last endpoint that hashed there; a miss just builds a new one.
 * Endpoints are immutable values, so sharing them changes nothing but the allocation. One per decoder.
 */
final class EndpointCache {
    private static final int SIZE = 4096; // a few thousand flows at once fit; more only cost misses
    private final Endpoint[] slots = new Endpoint[SIZE];

    Endpoint ipv4(int address, int port) {
        long lo = address & 0xFFFF_FFFFL;
        int slot = (int) (((lo << 16 | port) * 0x9E3779B97F4A7C15L) >>> 52); // 12 bits
        Endpoint e = slots[slot];
        if (e != null && e.port() == port) {
            IpAddress ip = e.ip();
            if (ip.lo() == lo && !ip.v6()) {
                return e;
            }
        }
        e = new Endpoint(IpAddress.ipv4(address), port);
        slots[slot] = e;
        return e;
    }

    Endpoint ipv6(long hi, long lo, int port) {
        int slot = (int) ((((hi * 0x9E3779B97F4A7C15L) ^ lo) * 0xC2B2AE3D27D4EB4FL + port) * 0x9E3779B97F4A7C15L >>> 52);
        Endpoint e = slots[slot];
        if (e != null && e.port() == port) {
            IpAddress ip = e.ip();
            if (ip.lo() == lo && ip.hi() == hi && ip.v6()) {
                return e;
            }
        }
        e = new Endpoint(new IpAddress(hi, lo, true), port);
        slots[slot] = e;
        return e;
    }
}
