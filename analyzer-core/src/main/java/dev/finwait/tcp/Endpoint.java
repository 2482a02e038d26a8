package dev.finwait.tcp;

/**
 * One side of a TCP connection.
 *
 * @param ip   its address
 * @param port its TCP port (0-65535)
 */
public record Endpoint(IpAddress ip, int port) implements Comparable<Endpoint> {

    // Written out for the per-packet flow lookup (see IpAddress). The decoder shares one instance per
    // endpoint between the segments of a flow, so identity usually answers first.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Endpoint e && e.port == port && e.ip.equals(ip);
    }

    @Override
    public int hashCode() {
        return ip.hashCode() * 31 + port;
    }


    /** {@return the endpoint of an address in text ({@code 10.0.0.1}, {@code ::1}; see {@link IpAddress#parse}) and a port} */
    public static Endpoint of(String ip, int port) {
        return new Endpoint(IpAddress.parse(ip), port);
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    /** {@code 10.0.0.1:80} or {@code [::1]:80}. */
    @Override
    public String toString() {
        return ip.v6() ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
