package dev.finwait.model;

/**
 * Zeek-compatible verdict, so a finwait report can be joined with (or checked against) Zeek's conn.log.
 *
 * @param connState Zeek's {@code conn_state} ({@code SF}, {@code S0}, {@code REJ}, {@code RSTO}, ...)
 * @param history   Zeek's {@code history} letters ({@code ShADadFf}, ...)
 */
public record ZeekSummary(String connState, String history) {
}
