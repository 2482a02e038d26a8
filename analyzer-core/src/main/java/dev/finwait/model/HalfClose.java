package dev.finwait.model;

import java.util.OptionalLong;

/**
 * One side ({@code by}) sent FIN while the other kept its sending direction open.
 * {@code toNanos} is when the other side's FIN (or a RST) ended it; empty if still half-closed at the end.
 * {@code bytesAfter} counts payload bytes the still-open side sent after the first FIN.
 */
public record HalfClose(Side by, long fromNanos, OptionalLong toNanos, long bytesAfter) {
}
