package dev.finwait.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.finwait.tcp.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The diagnosis's address map against a HashMap, through several growths. */
class AddressMapTest {
    private static final class Value extends AddressMap.Keyed {
        final String text;

        Value(IpAddress ip, String text) {
            super(ip);
            this.text = text;
        }
    }

    private static String text(Value v) {
        return v == null ? null : v.text;
    }

    @Test
    void answersAsAHashMapDoes() {
        SplittableRandom random = new SplittableRandom(3);
        AddressMap<Value> map = new AddressMap<>();
        Map<IpAddress, String> expected = new HashMap<>();
        List<IpAddress> asked = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            IpAddress a = switch (random.nextInt(4)) {
                // the generator's hosts, and addresses that differ from them in the upper words only
                case 0 -> IpAddress.ipv4(0x0A000007 | random.nextInt(4096) << 8);
                case 1 -> new IpAddress(0, 0x0A000007L | (long) random.nextInt(4096) << 8, true);
                case 2 -> new IpAddress(random.nextLong(4), 0x0A000007L | (long) random.nextInt(4096) << 8, true);
                default -> new IpAddress(random.nextLong(), random.nextLong(), true);
            };
            asked.add(a);
            assertEquals(expected.get(a), text(map.get(a)), "before put " + i);
            if (random.nextInt(3) > 0) {
                String v = "v" + i;
                expected.put(a, v);
                map.put(new Value(a, v));
            }
        }
        assertEquals(expected.size(), map.size());
        for (IpAddress a : asked) {
            assertEquals(expected.get(a), text(map.get(a)));
        }
        assertEquals(new java.util.HashSet<>(expected.values()), new java.util.HashSet<>(map.values().stream().map(AddressMapTest::text).toList()));
        assertEquals(expected.size(), map.values().size());
    }

    @Test
    void theUnspecifiedAddressesOfBothFamiliesAreTwoKeys() {
        AddressMap<Value> map = new AddressMap<>();
        assertNull(map.get(IpAddress.ipv4(0)));
        map.put(new Value(IpAddress.ipv4(0), "v4"));
        assertNull(map.get(new IpAddress(0, 0, true)));
        map.put(new Value(new IpAddress(0, 0, true), "v6"));
        assertEquals("v4", text(map.get(IpAddress.ipv4(0))));
        assertEquals("v6", text(map.get(new IpAddress(0, 0, true))));
        assertEquals(2, map.size());
    }
}
