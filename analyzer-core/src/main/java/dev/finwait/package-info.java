/**
 * The facade a library user starts from: {@link dev.finwait.Analyzer} (feed frames or segments in
 * capture order, then {@code finish()}; register listeners with {@code Analyzer.builder(config)}) and
 * {@link dev.finwait.AnalysisResult}. Nothing below this package depends on it.
 *
 * <p>The packages a library user needs: this one, {@code model} (the vocabulary and the reports),
 * {@code event} (the listener and the events), {@code capture} (readers, checkpoints),
 * {@code capture.live} (live capture, with pcap4j on the class path), {@code tcp} (segments and
 * endpoints), {@code flow} (the per-connection unit for stream processors), {@code snapshot} (its byte
 * form's errors), {@code diagnosis} (answers per service and host) and {@code report.format} (the
 * writers). {@code decode}, {@code state}, {@code compat}, {@code pipeline} and {@code report} are the
 * engine's rooms: public only because the command line and the Flink job use them; they may change
 * without notice.
 */
package dev.finwait;
