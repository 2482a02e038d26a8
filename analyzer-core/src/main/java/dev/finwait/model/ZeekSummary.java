package dev.finwait.model;

/** Zeek-compatible verdict: {@code conn_state} and {@code history} as Zeek's conn.log prints them. */
public record ZeekSummary(String connState, String history) {
}
