/**
 * Frame bytes to TCP segments: link layer (Ethernet with 802.1Q / 802.1ad / MPLS / PPPoE, Linux
 * SLL and SLL2, BSD NULL and LOOP, raw IP, NFLOG, PPP, Cisco HDLC, macOS PKTAP), IPv4 / IPv6
 * (options, extension chains, fragments skipped, IP-in-IP / GRE / VXLAN entered), then TCP with
 * the options the analysis uses.
 *
 * <pre>{@code
 * Decoder decoder = new Decoder(true);          // one per thread
 * DecodeStats stats = new DecodeStats();
 * if (stats.count(decoder.decode(frame)) instanceof DecodeResult.Decoded d) {
 *     analyze(d.segment());
 * } // otherwise Skipped(udp), Malformed(tcp data offset 3 < 5), ... counted in stats.reasons()
 * }</pre>
 *
 * Nothing here throws on packet bytes; each reason is a {@link dev.finwait.model.DecodeProblem} of the closed
 * set {@link dev.finwait.model.DecodeReason}, counted in the summary by its stable text.
 */
package dev.finwait.decode;
