package dev.finwait.flow;

import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Live flows by unordered 4-tuple: an open-addressing table (linear probing) whose keys are
 * flattened into one {@code long[]}. Each packet looks its connection up; with a {@code HashMap} that
 * was a chase through node, {@link FlowKey}, two {@link Endpoint}s and two addresses (cold memory for a
 * connection last seen seconds ago) plus a new {@code FlowKey} per packet. Here a probe reads five
 * adjacent longs and takes the two endpoints in either order, so no key object is built to look up.
 *
 * <p>Slot layout (STRIDE longs): low address hi/lo, high address hi/lo, then one word with both ports,
 * both IPv6 flags and an occupied bit (an empty slot's word is 0). "low" and "high" are the
 * {@code FlowKey}'s order; the hash is symmetric, so a lookup does not need to order the endpoints.
 */
final class FlowMap {
    private static final int STRIDE = 5;
    private static final long OCCUPIED = 1L << 62;

    private long[] keys;
    private Flow[] values;
    // Each entry's hash, so that growing and backward-shift removal never recompute it (nor read the tracker).
    private int[] hashes;
    private int mask;
    private int size;

    FlowMap() {
        allocate(1024);
    }

    int size() {
        return size;
    }

    /** The flow between {@code a} and {@code b} (either direction), or null. */
    Flow get(Endpoint a, Endpoint b) {
        long aHi = a.ip().hi();
        long aLo = a.ip().lo();
        long bHi = b.ip().hi();
        long bLo = b.ip().lo();
        int aPort = portWord(a);
        int bPort = portWord(b);
        long forward = word(aPort, bPort);
        long backward = word(bPort, aPort);
        int slot = hash(aHi, aLo, aPort, bHi, bLo, bPort) & mask;
        while (true) {
            int i = slot * STRIDE;
            long w = keys[i + 4];
            if (w == 0) {
                return null;
            }
            if (w == forward && keys[i] == aHi && keys[i + 1] == aLo && keys[i + 2] == bHi && keys[i + 3] == bLo) {
                return values[slot];
            }
            if (w == backward && keys[i] == bHi && keys[i + 1] == bLo && keys[i + 2] == aHi && keys[i + 3] == aLo) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds a flow under its key; the key must not be present. */
    void put(Flow c) {
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        insert(c);
        size++;
    }

    /**
     * Removes {@code c} if it is stored here. Found by the hash it was stored with and by identity: a flow
     * is removed long after its last packet, and hashing its key again read four cold objects (key,
     * endpoints, address) for every connection.
     */
    void remove(Flow c) {
        int slot = c.mapHash & mask;
        while (true) {
            Flow v = values[slot];
            if (v == null) {
                return;
            }
            if (v == c) {
                removeAt(slot);
                size--;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Forgets every connection. */
    void clear() {
        Arrays.fill(keys, 0L);
        Arrays.fill(values, null);
        size = 0;
    }

    /**
     * Every flow, in order of its live incarnation's id. Each (cold) tracker's id is read once, and ids and slots are
     * sorted as packed longs: a comparator sort read two trackers per comparison (9 % of the analysis
     * thread at the end of a 1 M-packet capture).
     */
    List<Flow> valuesById() {
        int bits = Integer.numberOfTrailingZeros(values.length); // the capacity is a power of two
        long maxId = Long.MAX_VALUE >>> bits;
        long[] packed = new long[size];
        int n = 0;
        for (int slot = 0; slot < values.length; slot++) {
            Flow c = values[slot];
            if (c != null) {
                long id = c.connectionId();
                if (id < 0 || id > maxId) {
                    return sortedByComparator();
                }
                packed[n++] = (id << bits) | slot;
            }
        }
        Arrays.sort(packed, 0, n);
        List<Flow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(values[(int) (packed[i] & mask)]);
        }
        return out;
    }

    private List<Flow> sortedByComparator() {
        List<Flow> out = new ArrayList<>(size);
        for (Flow c : values) {
            if (c != null) {
                out.add(c);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Flow::connectionId));
        return out;
    }

    // ---- the table ----

    private void allocate(int capacity) {
        keys = new long[capacity * STRIDE];
        values = new Flow[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private void grow() {
        long[] oldKeys = keys;
        Flow[] oldValues = values;
        int[] oldHashes = hashes;
        allocate(oldValues.length * 2);
        for (int from = 0; from < oldValues.length; from++) {
            if (oldValues[from] != null) {
                int slot = place(oldHashes[from]);
                System.arraycopy(oldKeys, from * STRIDE, keys, slot * STRIDE, STRIDE);
                values[slot] = oldValues[from];
                hashes[slot] = oldHashes[from];
            }
        }
    }

    /** The first free slot of the probe run that starts at {@code hash}'s home. */
    private int place(int hash) {
        int slot = hash & mask;
        while (keys[slot * STRIDE + 4] != 0) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void insert(Flow c) {
        FlowKey k = c.key();
        int hash = hashOf(k);
        int slot = place(hash);
        int i = slot * STRIDE;
        keys[i] = k.low().ip().hi();
        keys[i + 1] = k.low().ip().lo();
        keys[i + 2] = k.high().ip().hi();
        keys[i + 3] = k.high().ip().lo();
        keys[i + 4] = word(portWord(k.low()), portWord(k.high()));
        values[slot] = c;
        hashes[slot] = hash;
        c.mapHash = hash;
    }

    /** Empties a slot, moving later entries of its probe run back so that every lookup still finds them. */
    private void removeAt(int hole) {
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            int jk = j * STRIDE;
            if (keys[jk + 4] == 0) {
                break;
            }
            int home = hashes[j] & mask;
            // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
            boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeBetween) {
                System.arraycopy(keys, jk, keys, hole * STRIDE, STRIDE);
                values[hole] = values[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        Arrays.fill(keys, hole * STRIDE, hole * STRIDE + STRIDE, 0L);
        values[hole] = null;
    }

    // ---- keys and hashes ----

    /** Port and IPv6 flag of one endpoint in 17 bits. */
    private static int portWord(Endpoint e) {
        return e.port() | (e.ip().v6() ? 1 << 16 : 0);
    }

    private static long word(int lowPort, int highPort) {
        return OCCUPIED | ((long) highPort << 32) | lowPort;
    }

    private static int hashOf(FlowKey k) {
        Endpoint lo = k.low();
        Endpoint hi = k.high();
        return hash(lo.ip().hi(), lo.ip().lo(), portWord(lo), hi.ip().hi(), hi.ip().lo(), portWord(hi));
    }

    /**
     * Symmetric in its two endpoints (a sum), so either direction of a flow lands on the same slot. One
     * finaliser after the sum is enough to spread the bits (a finaliser per endpoint as well cost 8 % of
     * the analysis thread with C1).
     */
    private static int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return (int) finalMix(endpointHash(aHi, aLo, aPort) + endpointHash(bHi, bLo, bPort));
    }

    private static long endpointHash(long hi, long lo, int port) {
        return ((hi * 0x9E3779B97F4A7C15L + lo) * 0xC2B2AE3D27D4EB4FL + port) * 0x9E3779B97F4A7C15L;
    }

    /** MurmurHash3's 64-bit finaliser: spreads every input bit over the low bits the mask keeps. */
    private static long finalMix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
