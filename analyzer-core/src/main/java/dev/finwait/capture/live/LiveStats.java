package dev.finwait.capture.live;

/**
 * libpcap's counters since the capture opened (pcap_stats); their exact meaning varies by platform (see
 * pcap_stats(3pcap)).
 *
 * @param received         packets that passed the filter ({@code ps_recv})
 * @param dropped          packets dropped because the buffer was full ({@code ps_drop})
 * @param interfaceDropped packets the interface or its driver dropped ({@code ps_ifdrop})
 */
public record LiveStats(long received, long dropped, long interfaceDropped) {
}
