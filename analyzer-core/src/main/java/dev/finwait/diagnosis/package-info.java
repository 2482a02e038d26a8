/**
 * Answers per service and host, from finished reports alone: {@link dev.finwait.diagnosis.Diagnosis}
 * aggregates them into service and host records, a closed set of findings and bounded time series;
 * during a live capture, {@link dev.finwait.diagnosis.Diagnosis#soFar} adds the provisional reports of
 * the connections still tracked for a summary so far ({@link dev.finwait.diagnosis.Interim}).
 */
package dev.finwait.diagnosis;
