/**
 * Emulations of other tools, fed segment by segment beside the state machine: Zeek's
 * {@code conn_state} and {@code history}, Wireshark's {@code tcp.completeness}. They never change
 * finwait's own verdict.
 */
package dev.finwait.compat;
