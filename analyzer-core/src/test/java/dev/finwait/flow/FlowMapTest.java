package dev.finwait.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.finwait.model.AnalyzerConfig;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import dev.finwait.tcp.IpAddress;
import dev.finwait.tcp.Segment;
import dev.finwait.tcp.TcpFlags;
import dev.finwait.tcp.TcpOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowMapTest {

    /** A flow whose live incarnation has id {@code id}: it has seen one SYN from {@code a}. */
    private static Flow tracker(long id, Endpoint a, Endpoint b) {
        Flow f = new Flow(FlowKey.of(a, b), new Flow.Context(AnalyzerConfig.defaults(), (k, t, frame) -> id, null, c -> { }));
        f.accept(syn(a, b), syn(a, b), 0);
        return f;
    }

    private static Segment syn(Endpoint a, Endpoint b) {
        return new Segment(1, 0, a, b, TcpFlags.SYN, 100, 0, 65535, 0, TcpOptions.NONE, Segment.Checksum.UNCHECKED);
    }

    /** Few addresses and ports, so keys collide, probe runs are long and removals shift entries back. */
    private static Endpoint endpoint(Random r) {
        IpAddress ip = r.nextInt(4) == 0
                ? new IpAddress(r.nextInt(2), r.nextInt(3), true)
                : IpAddress.ipv4(0x0A00_0000 | r.nextInt(3));
        return new Endpoint(ip, 1000 + r.nextInt(6));
    }

    @Test
    void agreesWithAHashMapUnderRandomPutsAndRemoves() {
        for (int seed = 0; seed < 20; seed++) {
            Random r = new Random(seed);
            FlowMap map = new FlowMap();
            Map<FlowKey, Flow> reference = new HashMap<>();
            for (int step = 0; step < 5000; step++) {
                Endpoint a = endpoint(r);
                Endpoint b = endpoint(r);
                FlowKey key = FlowKey.of(a, b);
                Flow present = reference.get(key);
                assertSame(present, map.get(a, b), "seed " + seed + " step " + step);
                assertSame(present, map.get(b, a));
                if (present == null) {
                    Flow c = tracker(step, a, b);
                    map.put(c);
                    reference.put(key, c);
                } else if (r.nextBoolean()) {
                    map.remove(present);
                    reference.remove(key);
                } else {
                    // Removing a tracker that is no longer the one under its key leaves the entry alone.
                    map.remove(tracker(-1, a, b));
                }
                assertEquals(reference.size(), map.size());
            }
            List<Flow> expected = new ArrayList<>(reference.values());
            expected.sort(Comparator.comparingLong(Flow::connectionId));
            assertEquals(expected, map.valuesById());
        }
    }

    @Test
    void clearForgetsEverythingAndTheMapStaysUsable() {
        FlowMap map = new FlowMap();
        Endpoint server = Endpoint.of("192.0.2.1", 443);
        for (int i = 0; i < 3000; i++) {
            map.put(tracker(i, Endpoint.of("10.0.0.1", 1024 + i), server));
        }
        map.clear();
        assertEquals(0, map.size());
        assertNull(map.get(Endpoint.of("10.0.0.1", 1024), server));
        assertEquals(List.of(), map.valuesById());
        Flow again = tracker(7, Endpoint.of("10.0.0.1", 1024), server);
        map.put(again);
        assertSame(again, map.get(server, Endpoint.of("10.0.0.1", 1024)));
    }

    @Test
    void valuesByIdSortsIdsTooLargeToPackAsWell() {
        FlowMap map = new FlowMap();
        Endpoint server = Endpoint.of("192.0.2.1", 443);
        long[] ids = {Long.MAX_VALUE, 5, Long.MAX_VALUE / 2, 0, 1L << 60};
        for (int i = 0; i < ids.length; i++) {
            map.put(tracker(ids[i], Endpoint.of("10.0.0.1", 1024 + i), server));
        }
        assertEquals(List.of(0L, 5L, 1L << 60, Long.MAX_VALUE / 2, Long.MAX_VALUE),
                map.valuesById().stream().map(Flow::connectionId).toList());
    }

    @Test
    void growsPastItsFirstCapacity() {
        FlowMap map = new FlowMap();
        List<Flow> all = new ArrayList<>();
        Endpoint server = Endpoint.of("192.0.2.1", 443);
        for (int i = 0; i < 5000; i++) {
            Endpoint client = new Endpoint(IpAddress.ipv4(0x0A00_0000 + i / 60000), 1024 + i);
            Flow c = tracker(i, client, server);
            map.put(c);
            all.add(c);
        }
        for (Flow c : all) {
            assertSame(c, map.get(c.key().high(), c.key().low()));
        }
        assertNull(map.get(Endpoint.of("192.0.2.1", 80), server));
        assertEquals(5000, map.size());
    }
}
