package dev.finwait.compat;

import java.util.Set;

/**
 * Zeek's {@code likely_server_ports}: the TCP ports its default analyzers register for. Zeek uses it to
 * guess the responder of a connection whose first packet is not a bare SYN. The set depends on the
 * scripts loaded; this is the set of a default {@code zeek} run (base scripts, no site policy).
 */
public final class LikelyServerPorts {
    /** Ports registered by Zeek's base protocol analyzers (HTTP, SSL, SSH, FTP, SMTP, POP3, IMAP, IRC, DNS, ...). */
    public static final Set<Integer> ZEEK_DEFAULT = Set.of(
            21, 2811, // ftp, gridftp
            22, // ssh
            23, // telnet (login)
            25, 587, // smtp
            53, // dns over tcp
            80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http
            88, // kerberos
            110, // pop3
            111, // sun rpc portmapper
            139, 445, // smb / netbios
            143, // imap
            389, 3268, // ldap
            443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl/tls
            502, // modbus
            1883, // mqtt
            3306, // mysql
            3389, // rdp
            5060, // sip
            5222, 5269, // xmpp
            5432, // postgresql
            6379, // redis
            6666, 6667, 6668, 6669, // irc
            20000, // dnp3
            4222 // nats
    );

    private LikelyServerPorts() {
    }
}
