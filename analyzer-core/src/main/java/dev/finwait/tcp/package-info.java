/**
 * The wire's vocabulary, immutable and at the bottom of the house: {@link dev.finwait.tcp.Segment},
 * {@link dev.finwait.tcp.Endpoint}, {@link dev.finwait.tcp.FlowKey} (the unordered 4-tuple),
 * {@link dev.finwait.tcp.TcpFlags}, {@link dev.finwait.tcp.TcpOptions} and {@link dev.finwait.tcp.Seq}
 * (sequence arithmetic modulo 2^32).
 */
package dev.finwait.tcp;
