/**
 * Pure-Java streaming capture readers: classic pcap (micro- and nanosecond, both byte orders),
 * pcapng (several sections, per-interface link types and timestamp resolutions) and gzip around
 * either, from files, standard input or several files merged by timestamp.
 *
 * <pre>{@code
 * try (FrameSource source = CaptureReaders.open(Path.of("trace.pcapng.gz"))) {
 *     for (Frame f = source.next(); f != null; f = source.next()) {
 *         // f.data() is a view of the reader's buffer, valid until the next call: f.copy() to keep it
 *     }
 * } catch (CaptureFormatException e) {
 *     // one line naming the byte offset; every good frame before it was already returned
 * }
 * }</pre>
 *
 * A single file's reader can be resumed: {@link dev.finwait.capture.FrameSource#checkpoint()} says
 * where it stands, and {@link dev.finwait.capture.CaptureReaders#resume} goes on from there.
 *
 * The error messages are listed on {@link dev.finwait.capture.CaptureReaders}. Live capture and the
 * pcap4j cross-check reader live in {@code capture.live}, the only place that uses pcap4j.
 */
package dev.finwait.capture;
