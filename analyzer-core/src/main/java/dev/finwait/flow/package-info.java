/**
 * Connections over time. {@link dev.finwait.flow.Flow} is the unit of the analysis: one 4-tuple, its
 * live incarnation (both sides' state machines, the Zeek and Wireshark observers beside them), the rule
 * that starts the next, and its next deadline; it needs nothing else, and its state has a versioned
 * byte form ({@code snapshot()} / {@code restore}). {@link dev.finwait.flow.FlowTable} keeps the live
 * flows of one capture and one clock, and wakes them earliest deadline first, ties by connection id,
 * so no connection's report depends on other flows' packets.
 */
package dev.finwait.flow;
