/**
 * The verdict: {@link dev.finwait.report.ConnectionVerdict} turns a finished connection's trackers and
 * observers into its {@link dev.finwait.model.ConnectionReport} (handshake, close kind, half-close),
 * a pure function run once per connection, on any thread. {@code report.format} writes reports.
 */
package dev.finwait.report;
