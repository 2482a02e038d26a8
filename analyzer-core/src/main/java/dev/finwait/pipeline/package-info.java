/**
 * Moving work between threads, in order and bounded: {@link dev.finwait.pipeline.ConsumerThread},
 * {@link dev.finwait.pipeline.DecodeAhead} (reading and decoding a few batches ahead of the analysis)
 * and {@link dev.finwait.pipeline.ReportBehind} (judging and reporting finished connections behind
 * it). The output is the same on one thread or three.
 */
package dev.finwait.pipeline;
