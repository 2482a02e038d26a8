package dev.finwait.flink;

import java.util.List;

/**
 * The enumerator's saved state, per capture point: the next file to hand out, the global frame number
 * its first frame follows (-1 while the file before it is still being read), whether a format error
 * stopped the point; and splits given back by a failed reader, handed out again first.
 */
record EnumState(int[] next, long[] base, boolean[] stopped, List<FileSplit> returned) {
}
