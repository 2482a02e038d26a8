package dev.finwait.tcp;

/** One side of a TCP connection: address and port. */
public record Endpoint(IpAddress ip, int port) implements Comparable<Endpoint> {

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
