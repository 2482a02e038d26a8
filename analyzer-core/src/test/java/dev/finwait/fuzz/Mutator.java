package dev.finwait.fuzz;

import dev.finwait.Fixtures;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deterministic mutations of whole capture files: blind ones (bit flips, byte overwrites, cuts,
 * splices) and structure-aware ones that find pcap records / pcapng blocks and the IP and TCP
 * headers inside them (length fields set to zero or huge, records duplicated or swapped).
 * The same seeds and the same {@link Random} give the same mutants.
 */
final class Mutator {
    /** Mutants of the usual seeds never grow past this (splices and duplications), so one input stays cheap. */
    static final int MAX_SIZE = 1 << 20;
    /** For large seeds (several MB, {@link Pipeline#largeSeeds}): room to grow past the largest. */
    static final int MAX_SIZE_LARGE = 16 << 20;

    private static final int[] INTERESTING_32 = {0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFF, 0x10000, 262145, -16};
    private static final int[] INTERESTING_16 = {0, 1, 19, 20, 0x7FFF, 0x8000, 0xFFFF};

    static final String[] OPS = {"bitflip", "overwrite", "truncate", "splice", "recordlen", "iplen", "tcpoff",
            "duplicate", "reorder", "interesting", "timestamp", "gzip"};

    private final Random random;
    private final List<byte[]> seeds;
    private final int maxSize;

    Mutator(Random random, List<byte[]> seeds) {
        this(random, seeds, MAX_SIZE);
    }

    Mutator(Random random, List<byte[]> seeds, int maxSize) {
        this.random = random;
        this.seeds = seeds;
        this.maxSize = maxSize;
    }

    /** One mutant of a random seed: 1 to 3 mutations, so a few slip past the early checks. */
    byte[] next() {
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int n = 1 + random.nextInt(3);
        boolean gzip = false;
        for (int i = 0; i < n; i++) {
            int op = random.nextInt(OPS.length);
            if (op == 11) {
                gzip = true;
            } else {
                b = apply(op, b);
            }
        }
        return gzip ? Fixtures.gzip(b) : b;
    }

    byte[] apply(int op, byte[] b) {
        if (b.length == 0) {
            return b;
        }
        List<Rec> recs = records(b);
        switch (op) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int n = 1 + random.nextInt(8);
                for (int i = 0; i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 3 -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                byte[] head = Arrays.copyOf(b, random.nextInt(b.length + 1));
                int from = random.nextInt(other.length + 1);
                if (!recs.isEmpty() && random.nextBoolean()) {
                    // splice on a record boundary, so the reader goes on into the other file's records
                    head = Arrays.copyOf(b, recs.get(random.nextInt(recs.size())).start);
                    List<Rec> theirs = records(other);
                    if (!theirs.isEmpty()) {
                        from = theirs.get(random.nextInt(theirs.size())).start;
                    }
                }
                b = concat(head, Arrays.copyOfRange(other, from, other.length));
            }
            case 4 -> {
                if (recs.isEmpty()) {
                    return apply(9, b);
                }
                Rec r = recs.get(random.nextInt(recs.size()));
                int field = r.lengthFields[random.nextInt(r.lengthFields.length)];
                putInt(b, field, INTERESTING_32[random.nextInt(INTERESTING_32.length)], r.little);
            }
            case 5, 6 -> {
                if (recs.isEmpty()) {
                    return apply(1, b);
                }
                Rec r = recs.get(random.nextInt(recs.size()));
                int ip = findIp(b, r.data, r.dataEnd);
                if (ip < 0) {
                    return apply(1, b);
                }
                boolean v4 = (b[ip] & 0xF0) == 0x40;
                if (op == 5) {
                    int at = v4 ? ip + 2 : ip + 4;
                    if (at + 2 <= b.length) {
                        int v = INTERESTING_16[random.nextInt(INTERESTING_16.length)];
                        b[at] = (byte) (v >>> 8);
                        b[at + 1] = (byte) v;
                    }
                } else {
                    int tcp = v4 ? ip + (b[ip] & 0x0F) * 4 : ip + 40;
                    if (tcp + 13 <= b.length) {
                        int[] offsets = {0, 1, 4, 5, 15, random.nextInt(16)};
                        b[tcp + 12] = (byte) ((offsets[random.nextInt(offsets.length)] << 4) | (b[tcp + 12] & 0x0F));
                    }
                }
            }
            case 7 -> {
                if (recs.isEmpty()) {
                    return apply(2, b);
                }
                Rec r = recs.get(random.nextInt(recs.size()));
                int copies = 1 + random.nextInt(random.nextInt(8) == 0 ? 50 : 3);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, r.end);
                for (int i = 0; i < copies && out.size() < maxSize; i++) {
                    out.write(b, r.start, r.end - r.start);
                }
                out.write(b, r.end, b.length - r.end);
                b = out.toByteArray();
            }
            case 8 -> {
                if (recs.size() < 2) {
                    return apply(0, b);
                }
                int i = random.nextInt(recs.size());
                int j = random.nextInt(recs.size());
                Rec a = recs.get(Math.min(i, j));
                Rec c = recs.get(Math.max(i, j));
                if (a == c) {
                    return b;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(b, 0, a.start);
                out.write(b, c.start, c.end - c.start);
                out.write(b, a.end, c.start - a.end);
                out.write(b, a.start, a.end - a.start);
                out.write(b, c.end, b.length - c.end);
                b = out.toByteArray();
            }
            case 9 -> {
                if (b.length >= 4) {
                    int at = random.nextInt(b.length - 3);
                    putInt(b, at, INTERESTING_32[random.nextInt(INTERESTING_32.length)], random.nextBoolean());
                }
            }
            case 10 -> {
                // capture time jumping to the epoch, to the end of 32-bit time, or back and forth
                List<Rec> packets = recs.stream().filter(r -> r.data < r.dataEnd).toList();
                if (packets.isEmpty()) {
                    return apply(9, b);
                }
                Rec r = packets.get(random.nextInt(packets.size()));
                boolean pcapng = r.data == r.start + 28;
                int at = pcapng ? r.start + 12 : r.start;
                int[] values = {0, 1, -1, 0x7FFFFFFF, 0x80000000, 999_999, 1_000_000, 1_000_000_000, random.nextInt()};
                putInt(b, at + (random.nextBoolean() ? 0 : 4), values[random.nextInt(values.length)], r.little);
            }
            default -> throw new IllegalArgumentException("op " + op);
        }
        return b.length > maxSize ? Arrays.copyOf(b, maxSize) : b;
    }

    /** A record (pcap) or block (pcapng): where it is, its packet bytes and its length fields. */
    record Rec(int start, int end, int data, int dataEnd, int[] lengthFields, boolean little) {
    }

    /** Walks the records as far as they are well-formed; an empty list when the header is not recognised. */
    static List<Rec> records(byte[] b) {
        List<Rec> recs = new ArrayList<>();
        if (b.length < 24) {
            return recs;
        }
        int magic = getInt(b, 0, false);
        if (magic == 0x0A0D0D0A) {
            int at = 0;
            boolean little = true;
            while (at + 12 <= b.length) {
                int type = getInt(b, at, little);
                if (type == 0x0A0D0D0A && at + 12 <= b.length) {
                    little = getInt(b, at + 8, true) == 0x1A2B3C4D;
                }
                int len = getInt(b, at + 4, little);
                if (len < 12 || (len & 3) != 0 || at + (long) len > b.length) {
                    break;
                }
                int end = at + len;
                if (type == 6 && len >= 32) {
                    int cap = getInt(b, at + 20, little);
                    int dataEnd = (int) Math.min(end - 4L, at + 28L + Math.max(0, cap));
                    recs.add(new Rec(at, end, at + 28, dataEnd, new int[] {at + 4, end - 4, at + 20, at + 24}, little));
                } else if (type == 3 && len >= 16) {
                    recs.add(new Rec(at, end, at + 12, end - 4, new int[] {at + 4, end - 4, at + 8}, little));
                } else if (type != 0x0A0D0D0A) {
                    // interface, statistics, ... blocks: their lengths are fair game too, but carry no packet
                    recs.add(new Rec(at, end, end - 4, end - 4, new int[] {at + 4, end - 4}, little));
                }
                at = end;
            }
            return recs;
        }
        boolean little;
        if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1) {
            little = true;
        } else if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
            little = false;
        } else {
            return recs;
        }
        int at = 24;
        while (at + 16 <= b.length) {
            int cap = getInt(b, at + 8, little);
            if (cap < 0 || at + 16L + cap > b.length) {
                break;
            }
            int end = at + 16 + cap;
            recs.add(new Rec(at, end, at + 16, end, new int[] {at + 8, at + 12}, little));
            at = end;
        }
        return recs;
    }

    /** The first plausible IPv4 or IPv6 header carrying TCP within the first 48 bytes of a packet. */
    static int findIp(byte[] b, int from, int to) {
        for (int i = from; i < Math.min(to, from + 48) && i + 40 <= to; i++) {
            int v = b[i] & 0xFF;
            if ((v >>> 4) == 4 && (v & 0x0F) >= 5 && b[i + 9] == 6) {
                return i;
            }
            if ((v >>> 4) == 6 && b[i + 6] == 6) {
                return i;
            }
        }
        return -1;
    }

    static int getInt(byte[] b, int at, boolean little) {
        int v = ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
        return little ? Integer.reverseBytes(v) : v;
    }

    static void putInt(byte[] b, int at, int v, boolean little) {
        if (at < 0 || at + 4 > b.length) {
            return;
        }
        int w = little ? Integer.reverseBytes(v) : v;
        b[at] = (byte) (w >>> 24);
        b[at + 1] = (byte) (w >>> 16);
        b[at + 2] = (byte) (w >>> 8);
        b[at + 3] = (byte) w;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
