/**
 * Answers per service and host, from finished reports alone: {@link dev.finwait.diagnosis.Diagnosis}
 * aggregates them into service and host records, a closed set of findings and bounded time series.
 */
package dev.finwait.diagnosis;
