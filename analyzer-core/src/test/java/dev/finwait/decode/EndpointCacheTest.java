package dev.finwait.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointCacheTest {

    @Test
    void alwaysReturnsTheEndpointAskedFor() {
        EndpointCache cache = new EndpointCache();
        Random r = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            // Few distinct values, so hits, misses and slot collisions all happen; an IPv6 address whose
            // low 64 bits equal an IPv4 address must not be taken for it.
            long lo = r.nextInt(64);
            long hi = r.nextInt(3);
            int port = r.nextInt(70);
            if (r.nextBoolean()) {
                assertEquals(new Endpoint(IpAddress.ipv4((int) lo), port), cache.ipv4((int) lo, port));
            } else {
                assertEquals(new Endpoint(new IpAddress(hi, lo, true), port), cache.ipv6(hi, lo, port));
            }
        }
        // The high bit of an IPv4 address (and of a port) survives the round trip.
        assertEquals(Endpoint.of("255.1.2.3", 65535), cache.ipv4(0xFF010203, 65535));
    }

    @Test
    void theSegmentsOfOneFlowShareTheirEndpoints() {
        EndpointCache cache = new EndpointCache();
        Endpoint first = cache.ipv4(0x0A000001, 443);
        assertSame(first, cache.ipv4(0x0A000001, 443));
        Endpoint v6 = cache.ipv6(0x20010DB8_00000000L, 1, 443);
        assertSame(v6, cache.ipv6(0x20010DB8_00000000L, 1, 443));
    }
}
