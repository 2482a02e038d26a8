package dev.finwait.diagnosis;

import dev.finwait.tcp.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A map from addresses to values that carry their own address, for the diagnosis's hosts: thousands of
 * them, looked up at random, twice per report. A {@code HashMap<IpAddress, V>} reads a table slot, a
 * node, the key (an {@code IpAddress} far from the rest) and then the value, each a cache miss in a big
 * capture: the host lookups were about a sixth of the report thread on 10 M packets (JFR). Here a
 * lookup reads one slot of one array (open addressing, linear probing) and the value itself, whose
 * address words it compares, and which the caller reads next anyway. Not thread-safe; no removal.
 */
final class AddressMap<V extends AddressMap.Keyed> {
    /** A value of the map: its address's words, copied into it. */
    abstract static class Keyed {
        final long hi;
        final long lo;
        final boolean v6;

        /** {@code ip} null: a value that is never put in a map. */
        Keyed(IpAddress ip) {
            hi = ip == null ? 0 : ip.hi();
            lo = ip == null ? 0 : ip.lo();
            v6 = ip != null && ip.v6();
        }
    }

    private Keyed[] slots;
    private int size;
    private int shift;

    AddressMap() {
        allocate(1024);
    }

    private void allocate(int n) {
        slots = new Keyed[n];
        shift = 64 - Integer.numberOfTrailingZeros(n);
    }

    int size() {
        return size;
    }

    /** The slot of the address, or the empty slot where it would go. */
    private int slot(long hi, long lo, boolean v6) {
        int mask = slots.length - 1;
        // The top bits of a multiply: addresses differ in few, scattered bits (10.a.b.7).
        int i = (int) (((hi * 0x9E3779B97F4A7C15L + lo) * 0xBF58476D1CE4E5B9L) >>> shift);
        while (true) {
            Keyed k = slots[i];
            if (k == null || k.lo == lo && k.hi == hi && k.v6 == v6) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    V get(IpAddress a) {
        return (V) slots[slot(a.hi(), a.lo(), a.v6())];
    }

    /** Puts {@code v} under its address, in place of the value there. */
    void put(V v) {
        int i = slot(v.hi, v.lo, v.v6);
        if (slots[i] == null) {
            if (2 * (size + 1) > slots.length) {
                grow();
                i = slot(v.hi, v.lo, v.v6);
            }
            size++;
        }
        slots[i] = v;
    }

    private void grow() {
        Keyed[] old = slots;
        allocate(2 * old.length);
        for (Keyed k : old) {
            if (k != null) {
                slots[slot(k.hi, k.lo, k.v6)] = k;
            }
        }
    }

    /** {@return the values, in no particular order} */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Keyed k : slots) {
            if (k != null) {
                out.add((V) k);
            }
        }
        return out;
    }
}
