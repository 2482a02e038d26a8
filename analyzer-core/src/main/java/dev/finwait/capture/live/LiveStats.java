package dev.finwait.capture.live;

/** libpcap's counters (pcap_stats): packets received by the filter, dropped by libpcap, dropped by the interface. */
public record LiveStats(long received, long dropped, long interfaceDropped) {
}
