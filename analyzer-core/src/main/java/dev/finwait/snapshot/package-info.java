/**
 * The byte form of a connection's analysis state, so that a stream processor can keep it in its
 * state backend and a stopped job can resume where it was: a versioned, compact encoding of the
 * vocabulary values ({@code tcp}, {@code model}) that the state machines and observers build on.
 */
package dev.finwait.snapshot;
