"""A server that closes as a C (or Python, Go) program does: close(2) straight away, where the JDK
shuts the output down first (FIN) unless SO_LINGER is 0. Used by Scenarios.java's unread-lone-rst.

Usage: c_close_server.py HOST PORT RCVBUF READ_BYTES (close|linger0)
Listens with a receive buffer of RCVBUF bytes (set before listen(), so the window scale and the
window follow it), accepts one connection, reads until READ_BYTES have arrived (100 at a time),
prints what it read, waits for a line on stdin (the story takes the kernel's record meanwhile), then
closes: with whatever input is left unread ("close"), or with SO_LINGER 0 ("linger0"). Every wait is
bounded (10 s).
"""
import socket
import struct
import sys

host, port, rcvbuf, wanted, how = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
family = socket.AF_INET6 if ":" in host else socket.AF_INET
listener = socket.socket(family, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # accepted sockets inherit it
listener.bind((host, port))
listener.listen(1)
listener.settimeout(10)
print("listening", flush=True)
conn, _ = listener.accept()
conn.settimeout(10)
got = 0
try:
    while got < wanted:
        data = conn.recv(min(100, wanted - got))
        if not data:
            break
        got += len(data)
    print(f"read {got} bytes", flush=True)
except OSError as e:
    print(f"read failed after {got} bytes: {e}", flush=True)
sys.stdin.readline()
if how == "linger0":
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
conn.close()
listener.close()
print("close: ok", flush=True)
