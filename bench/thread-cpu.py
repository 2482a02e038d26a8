#!/usr/bin/env python3
"""Cpu time per thread of one command, JVM threads grouped (GC, C1, C2), for comparing builds.

    bench/thread-cpu.py OUT -- COMMAND [ARGS...]

Runs COMMAND with its standard output to OUT (/dev/null to discard), reads /proc/PID/task/*/stat
(utime + stime, fields 14 and 15) every 50 ms while it runs, and prints one line: exit code, wall
time, the process's user and sys cpu and peak RSS (getrusage), the load average, and each thread's cpu
as last seen (a thread that ends between two samples loses its last 50 ms at most). The JVM names its
threads, so the report thread shows as finwait-report, the analysis thread as java (main), reading and
decoding as finwait-decode. COMMAND must be the process itself (./analyze execs java).
"""
import os
import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: bench/thread-cpu.py OUT -- COMMAND [ARGS...]")
    tick = os.sysconf("SC_CLK_TCK")
    with open(sys.argv[1], "wb") as out:
        p = subprocess.Popen(sys.argv[3:], stdout=out)
    last = {}
    start = time.time()
    while p.poll() is None:
        try:
            tids = os.listdir(f"/proc/{p.pid}/task")
        except OSError:
            tids = []
        for tid in tids:
            try:
                with open(f"/proc/{p.pid}/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            last[tid] = (name, int(fields[11]) + int(fields[12]))
        time.sleep(0.05)
    wall = time.time() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    groups = {}
    for name, ticks in last.values():
        for prefix, group in (("GC Thread", "GC"), ("C1 Comp", "C1"), ("C2 Comp", "C2")):
            if name.startswith(prefix):
                name = group
        groups[name] = groups.get(name, 0) + ticks
    threads = " ".join(f"{k}={v / tick:.2f}" for k, v in sorted(groups.items(), key=lambda kv: -kv[1]) if v > 0)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"rc={p.returncode} wall={wall:.2f} cpu={usage.ru_utime + usage.ru_stime:.2f} "
          f"(user {usage.ru_utime:.2f} sys {usage.ru_stime:.2f}) rss={usage.ru_maxrss / 1024:.0f}MB "
          f"load={load} | {threads}", flush=True)
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
