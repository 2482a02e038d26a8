package dev.finwait.model;

import java.util.OptionalLong;

/**
 * One side sent FIN while the other kept its sending direction open.
 *
 * @param by         the side that sent the first FIN
 * @param fromNanos  capture time of that FIN, nanoseconds since the epoch
 * @param toNanos    when the other side's FIN (or a RST) ended the half-close; empty if still half-closed
 *                   at the end
 * @param bytesAfter payload bytes the still-open side sent after the first FIN
 */
public record HalfClose(Side by, long fromNanos, OptionalLong toNanos, long bytesAfter) {
}
