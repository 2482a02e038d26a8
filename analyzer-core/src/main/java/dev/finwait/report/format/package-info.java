/**
 * The writers of every output format (text, ladder, JSONL, CSV, Zeek conn.log, HTML, SVG), each a
 * {@link dev.finwait.report.format.ReportWriter} fed finished reports in order, then the summary.
 */
package dev.finwait.report.format;
