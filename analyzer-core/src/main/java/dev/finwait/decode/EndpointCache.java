package dev.finwait.decode;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;

/**
 * Recently decoded endpoints, so that the segments of one flow share their two {@link Endpoint}s (and
 * addresses) instead of allocating four objects per packet (a fifth of what a packet allocated). A
 * direct-mapped table: a slot holds the last endpoint that hashed there; a miss just builds a new one.
 * Endpoints are immutable values, so sharing them changes nothing but the allocation. One per decoder.
 *
 * <p>Each slot's key is also kept as values in small arrays (the address words and the port, with an
 * IPv6 flag), and a lookup compares those: the slot's endpoint is read only when it is returned. With
 * many flows at once nearly every lookup misses, and reading the slot's old endpoint (an object last
 * touched long ago) to find out cost a cache miss per packet (`LiveConnectionsCpu`, 100,000 live
 * connections: decode 58-67 -> 34-35 ns per packet of thread CPU; 1,000 connections: unchanged).
 */
final class EndpointCache {
    private static final int SIZE = 4096; // a few thousand flows at once fit; more only cost misses
    private static final int V6 = 1 << 16; // in a port word: the slot holds an IPv6 endpoint
    private final Endpoint[] slots = new Endpoint[SIZE];
    private final long[] los = new long[SIZE];
    private final long[] his = new long[SIZE];
    private final int[] ports = new int[SIZE]; // port | V6; meaningless while the slot is null

    Endpoint ipv4(int address, int port) {
        long lo = address & 0xFFFF_FFFFL;
        int slot = (int) (((lo << 16 | port) * 0x9E3779B97F4A7C15L) >>> 52); // 12 bits
        if (los[slot] == lo && ports[slot] == port) {
            Endpoint e = slots[slot];
            if (e != null) {
                return e;
            }
        }
        Endpoint e = new Endpoint(IpAddress.ipv4(address), port);
        slots[slot] = e;
        los[slot] = lo;
        his[slot] = 0;
        ports[slot] = port;
        return e;
    }

    Endpoint ipv6(long hi, long lo, int port) {
        int slot = (int) ((((hi * 0x9E3779B97F4A7C15L) ^ lo) * 0xC2B2AE3D27D4EB4FL + port) * 0x9E3779B97F4A7C15L >>> 52);
        if (los[slot] == lo && his[slot] == hi && ports[slot] == (port | V6)) {
            Endpoint e = slots[slot];
            if (e != null) {
                return e;
            }
        }
        Endpoint e = new Endpoint(new IpAddress(hi, lo, true), port);
        slots[slot] = e;
        los[slot] = lo;
        his[slot] = hi;
        ports[slot] = port | V6;
        return e;
    }
}
