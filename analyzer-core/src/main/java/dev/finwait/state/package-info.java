/**
 * The RFC 9293 state machine, per side: {@link dev.finwait.state.TransitionTable} (the diagram as
 * data, checked for totality), {@link dev.finwait.state.Stimulus}, one
 * {@link dev.finwait.state.SideTracker} per side, {@code Receipts} (receipt inference: a SYN or FIN is in
 * flight until the receiver shows it), {@link dev.finwait.state.ConnectionTracker} (what a
 * segment tells each side: all seq/ack arithmetic, RST acceptability and causes,
 * TIME_WAIT windows) and {@link dev.finwait.state.Incarnations} (when a SYN starts a new connection on a
 * 4-tuple, and whether reusing it was legal). Every state change goes through the table. Imports only
 * the vocabulary ({@code model}, {@code tcp}), events and the snapshot form: never reporting.
 */
package dev.finwait.state;
