/**
 * The only code that touches pcap4j (libpcap through JNA): live capture on an interface with BPF
 * filters, libpcap's file reader as a cross-check, BPF filters compiled for files. A test keeps
 * {@code org.pcap4j} out of every other package.
 */
package dev.finwait.capture.live;
