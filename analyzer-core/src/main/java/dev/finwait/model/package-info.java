/**
 * The vocabulary every layer speaks: TCP states, sides, openers, handshakes, close kinds, resets and
 * their causes, half-closes, TIME_WAIT windows, reuse, transitions, anomalies, counts, and the
 * per-connection report and capture summary built from them. Immutable values with no behaviour
 * beyond their names; nothing here imports another finwait package except {@code tcp}.
 */
package dev.finwait.model;
