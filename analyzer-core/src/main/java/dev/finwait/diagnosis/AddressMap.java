package dev.finwait.diagnosis;

import dev.finwait.tcp.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A map from addresses to values, for the diagnosis's hosts: thousands of them, looked up at random,
 * twice per report. A {@code HashMap<IpAddress, V>} reads a table slot, a node, the key (an
 * {@code IpAddress} far from the rest) and then the value, each a cache miss in a big capture: the host
 * lookups were about a sixth of the report thread on 10 M packets (JFR). Here the keys' words lie in one
 * {@code long} array (open addressing, linear probing), so a lookup reads one slot of keys and one of
 * values. Not thread-safe; no removal.
 */
final class AddressMap<V> {
    /** Three words per slot: the address's hi and lo, and its kind (0 an empty slot, 1 IPv4, 2 IPv6). */
    private long[] keys;
    private Object[] values;
    private int size;
    private int shift;

    AddressMap() {
        allocate(1024);
    }

    private void allocate(int slots) {
        keys = new long[3 * slots];
        values = new Object[slots];
        shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    int size() {
        return size;
    }

    /** The slot of {@code a}, or the empty slot where it would go. */
    private int slot(long hi, long lo, long kind) {
        int mask = values.length - 1;
        // The top bits of a multiply: addresses differ in few, scattered bits (10.a.b.7).
        int i = (int) (((hi * 0x9E3779B97F4A7C15L + lo) * 0xBF58476D1CE4E5B9L) >>> shift);
        while (true) {
            int k = 3 * i;
            long kindHere = keys[k + 2];
            if (kindHere == 0 || keys[k + 1] == lo && keys[k] == hi && kindHere == kind) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private static long kind(IpAddress a) {
        return a.v6() ? 2 : 1;
    }

    @SuppressWarnings("unchecked")
    V get(IpAddress a) {
        return (V) values[slot(a.hi(), a.lo(), kind(a))];
    }

    /** Maps {@code a} to {@code v}, replacing what it was mapped to. */
    void put(IpAddress a, V v) {
        int i = slot(a.hi(), a.lo(), kind(a));
        if (values[i] == null) {
            if (2 * (size + 1) > values.length) {
                grow();
                i = slot(a.hi(), a.lo(), kind(a));
            }
            keys[3 * i] = a.hi();
            keys[3 * i + 1] = a.lo();
            keys[3 * i + 2] = kind(a);
            size++;
        }
        values[i] = v;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(2 * oldValues.length);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldKeys[3 * j], oldKeys[3 * j + 1], oldKeys[3 * j + 2]);
                System.arraycopy(oldKeys, 3 * j, keys, 3 * i, 3);
                values[i] = oldValues[j];
            }
        }
    }

    /** {@return the values, in no particular order} */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }
}
