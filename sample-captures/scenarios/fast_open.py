#!/usr/bin/env python3
"""TCP Fast Open (RFC 7413) with real sockets: the JDK has no TCP_FASTOPEN, Python has.

A listener with TCP_FASTOPEN; a client connects twice with sendto(MSG_FASTOPEN). The first SYN
only asks for a cookie (no cookie cached yet): its 100 bytes follow the handshake. The second
carries the cookie and its 100 bytes in the SYN. For each connection the server reads 100 bytes,
the client closes first, the server reads EOF and closes. Prints, for Scenarios.java:
  PORT<TAB>n                       the client's port of the next connection
  APP<TAB>at<TAB>who<TAB>call<TAB>result
  WAIT<TAB>moment                  then reads a line on stdin (Scenarios takes ss/nstat meanwhile)

Usage: fast_open.py HOST PORT   (in a namespace where net.ipv4.tcp_fastopen = 3)
"""
import socket
import sys
import time

TCP_FASTOPEN = 23


def app(who, call, result):
    print("APP\t%.6f\t%s\t%s\t%s" % (time.time(), who, call, result), flush=True)


def wait(moment):
    print("WAIT\t" + moment, flush=True)
    sys.stdin.readline()


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN, 16)
    listener.bind((host, port))
    listener.listen(16)
    listener.settimeout(10)
    for n in (1, 2):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sent = c.sendto(b"\0" * 100, socket.MSG_FASTOPEN, (host, port))  # blocking: a timeout would make it EINPROGRESS
        c.settimeout(10)
        print("PORT\t%d" % c.getsockname()[1], flush=True)
        app("client", "sendto(MSG_FASTOPEN) #%d" % n, "%d bytes: ok" % sent)
        s, _ = listener.accept()
        s.settimeout(10)
        got = b""
        for _ in range(100):
            if len(got) >= 100:
                break
            chunk = s.recv(100 - len(got))
            if not chunk:
                break
            got += chunk
        app("server", "read #%d" % n, "%d bytes" % len(got))
        wait("connection %d established, 100 bytes read" % n)
        c.close()
        app("client", "close #%d" % n, "ok")
        eof = s.recv(100)
        app("server", "read #%d" % n, "EOF (-1)" if eof == b"" else "%d more bytes" % len(eof))
        s.close()
        app("server", "close #%d" % n, "ok")
        time.sleep(0.15)
        wait("connection %d closed" % n)
    listener.close()


if __name__ == "__main__":
    main()
