#!/usr/bin/env python3
"""A wire with latency and chosen faults: forwards Ethernet frames between two interfaces.

Loopback delivers a FIN before the sending call returns, so two FINs can never cross there. Between
two network namespaces joined through this forwarder (tc netem is not available on these kernels),
each direction takes DELAY seconds, long enough for both sides to close before either FIN arrives.
Rules make the wire misbehave on chosen frames only, so a story's faults are known exactly:

  --rule dir=a2b,flags=F,nth=1,action=drop
      dir     a2b (entered at IF_A, leaves at IF_B) or b2a
      flags   TCP flags the frame must carry, letters of SAFRPU, plus D for "carries payload";
              "any" (the default) matches every TCP frame
      rseq    the frame's sequence number relative to its sender's SYN (needs the SYN seen)
      nth     the n-th frame that matches dir, flags and rseq (default 1); each rule fires once
      action  drop | dup (sent twice, byte for byte) | delay=SECONDS (added to the wire's delay,
              so later frames overtake it) | hold (sent right after the next frame of its direction,
              or after HOLD_LIMIT seconds when none comes)
  --vlan IF=ID     frames on IF carry an 802.1Q tag with this VLAN id: the tag is removed from the
                   frames entering there and put on the frames leaving there (the other side stays
                   untagged), so a capture on IF sees tagged traffic
  --cut-file PATH  while PATH exists every frame is lost, both ways (a peer that vanished)

Usage: delay_forwarder.py IF_A IF_B DELAY_SECONDS LIFETIME_SECONDS [drop-first-fin] [options]
       delay_forwarder.py --self-test
       (root; bounded by LIFETIME). drop-first-fin is the rule dir=a2b,flags=F,nth=1,action=drop.
Every fault and the totals are logged as JSON lines on stdout (the stories' truth quotes them).
"""
import heapq
import json
import os
import select
import socket
import struct
import sys
import time
import unittest

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # frames we sent ourselves show up on our own socket too
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
HOLD_LIMIT = 2.0  # a held frame waits at most this long for a frame to overtake it
MAX_QUEUED = 10000  # frames in flight at most; beyond it the wire drops (logged), memory stays bounded
FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10, "U": 0x20}
ACTIONS = ("drop", "dup", "delay", "hold")


class Rule:
    """One fault on one chosen frame: direction, flags (and payload), relative seq, n-th match."""

    def __init__(self, text, direction, flags, rseq, nth, action, seconds):
        self.text, self.direction, self.flags, self.rseq = text, direction, flags, rseq
        self.nth, self.action, self.seconds = nth, action, seconds
        self.seen = 0
        self.fired = False

    def matches(self, direction, view, rseq):
        if self.fired or view is None or direction != self.direction:
            return False
        flags, _, payload = view
        for letter in self.flags:
            if letter == "D":
                if payload == 0:
                    return False
            elif not flags & FLAG_BITS[letter]:
                return False
        if self.rseq is not None and rseq != self.rseq:
            return False
        self.seen += 1
        if self.seen == self.nth:
            self.fired = True
            return True
        return False


def parse_rule(text):
    """dir=a2b,flags=F,nth=1,action=drop -> Rule; ValueError with the valid choices otherwise."""
    fields = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        if not eq or key not in ("dir", "flags", "rseq", "nth", "action"):
            raise ValueError("rule %r: %r is not one of dir=, flags=, rseq=, nth=, action=" % (text, part))
        if key == "action" and value.startswith("delay="):
            fields["delay"] = value[len("delay="):]
            value = "delay"
        fields[key] = value
    direction = fields.get("dir")
    if direction not in ("a2b", "b2a"):
        raise ValueError("rule %r: dir must be a2b or b2a" % text)
    flags = fields.get("flags", "any")
    flags = "" if flags == "any" else flags
    if any(c not in "SAFRPUD" for c in flags):
        raise ValueError("rule %r: flags are letters of SAFRPUD, or any" % text)
    try:
        rseq = int(fields["rseq"]) if "rseq" in fields else None
        nth = int(fields.get("nth", "1"))
        seconds = float(fields["delay"]) if "delay" in fields else 0.0
    except ValueError:
        raise ValueError("rule %r: rseq and nth are integers, delay is seconds" % text) from None
    if nth < 1 or not 0 <= seconds <= 10:
        raise ValueError("rule %r: nth is at least 1 and delay 0-10 seconds" % text)
    action = fields.get("action")
    if action not in ACTIONS:
        raise ValueError("rule %r: action must be drop, dup, delay=SECONDS or hold" % text)
    return Rule(text, direction, flags, rseq, nth, action, seconds)


def tcp_view(frame):
    """(flags, seq, payload length) of an untagged Ethernet/IPv4/TCP frame, else None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack_from("!H", frame, 16)[0]
    tcp = 14 + ihl
    if len(frame) < tcp + 20:
        return None
    seq = struct.unpack_from("!I", frame, tcp + 4)[0]
    doff = (frame[tcp + 12] >> 4) * 4
    return frame[tcp + 13], seq, max(0, total - ihl - doff)


def flag_letters(flags):
    return "".join(letter for letter, bit in FLAG_BITS.items() if flags & bit)


def add_tag(frame, vid):
    """802.1Q tag (TPID 0x8100, priority 0) between the MAC addresses and the EtherType."""
    return frame[:12] + struct.pack("!HH", 0x8100, vid & 0x0FFF) + frame[12:]


def strip_tag(frame):
    """(vid, untagged frame) when the frame carries its tag inline, else (None, frame)."""
    if len(frame) >= 18 and frame[12:14] == b"\x81\x00":
        return struct.unpack_from("!H", frame, 14)[0] & 0x0FFF, frame[:12] + frame[16:]
    return None, frame


class Wire:
    """The forwarder's logic without sockets: frames in, (time, direction, frame) out."""

    def __init__(self, delay, rules, log=lambda event: None):
        self.delay, self.rules, self.log = delay, rules, log
        self.due = []  # (time to send, order, direction, frame): a heap keeps each direction in order
        self.order = 0
        self.held = {"a2b": [], "b2a": []}  # (deadline, frame)
        self.isn = {}  # direction -> sender's initial sequence number (from its SYN)
        self.cut = False
        self.totals = {d: {"forwarded": 0, "dropped": 0, "duplicated": 0, "delayed": 0, "held": 0, "cut": 0}
                       for d in ("a2b", "b2a")}

    def _push(self, when, direction, frame):
        if len(self.due) >= MAX_QUEUED:
            self.totals[direction]["dropped"] += 1
            self.log({"event": "overflow", "dir": direction})
            return
        heapq.heappush(self.due, (when, self.order, direction, frame))
        self.order += 1

    def arrive(self, now, direction, frame):
        if self.cut:
            self.totals[direction]["cut"] += 1
            return
        view = tcp_view(frame)
        rseq = None
        if view is not None:
            flags, seq, _ = view
            if flags & FLAG_BITS["S"]:
                self.isn[direction] = seq
            if direction in self.isn:
                rseq = (seq - self.isn[direction]) % (1 << 32)
        rule = next((r for r in self.rules if r.matches(direction, view, rseq)), None)
        if rule is not None:
            flags, _, payload = view
            self.log({"event": rule.action, "dir": direction, "flags": flag_letters(flags), "rseq": rseq,
                      "payload": payload, "rule": rule.text})
        when = now + self.delay
        if rule is not None and rule.action == "drop":
            self.totals[direction]["dropped"] += 1
            return
        if rule is not None and rule.action == "hold":
            self.totals[direction]["held"] += 1
            self.held[direction].append((now + HOLD_LIMIT, frame))
            return
        if rule is not None and rule.action == "delay":
            self.totals[direction]["delayed"] += 1
            when += rule.seconds
        self._push(when, direction, frame)
        if rule is not None and rule.action == "dup":
            self.totals[direction]["duplicated"] += 1
            self._push(when, direction, frame)
        if rule is None or rule.action != "delay":
            # A frame that overtook the held ones: they follow it.
            for _, held in self.held[direction]:
                self._push(when, direction, held)
            self.held[direction].clear()

    def release(self, now):
        """The frames whose time has come, in order; held frames past their limit are let go."""
        for direction, frames in self.held.items():
            late = [f for deadline, f in frames if deadline <= now]
            if late:
                frames[:] = [(d, f) for d, f in frames if d > now]
                for f in late:
                    self._push(now, direction, f)
        out = []
        while self.due and self.due[0][0] <= now:
            _, _, direction, frame = heapq.heappop(self.due)
            self.totals[direction]["forwarded"] += 1
            out.append((direction, frame))
        return out

    def next_time(self, end):
        times = [end] + ([self.due[0][0]] if self.due else [])
        times += [d for frames in self.held.values() for d, _ in frames]
        return min(times)


def parse_args(argv):
    if len(argv) < 4:
        raise ValueError("usage: delay_forwarder.py IF_A IF_B DELAY_SECONDS LIFETIME_SECONDS [drop-first-fin]"
                         " [--rule SPEC]... [--vlan IF=ID] [--cut-file PATH]  (or --self-test)")
    if_a, if_b = argv[0], argv[1]
    try:
        delay, lifetime = float(argv[2]), float(argv[3])
    except ValueError:
        raise ValueError("DELAY_SECONDS and LIFETIME_SECONDS are numbers") from None
    if not 0 <= delay <= 10 or not 0 < lifetime <= 600:
        raise ValueError("DELAY_SECONDS is 0-10 and LIFETIME_SECONDS 1-600 (the forwarder must end)")
    rules, vlans, cut_file = [], {}, None
    rest = list(argv[4:])
    while rest:
        arg = rest.pop(0)
        if arg == "drop-first-fin":
            rules.append(parse_rule("dir=a2b,flags=F,nth=1,action=drop"))
        elif arg in ("--rule", "--vlan", "--cut-file") and rest:
            value = rest.pop(0)
            if arg == "--rule":
                rules.append(parse_rule(value))
            elif arg == "--cut-file":
                cut_file = value
            else:
                name, _, vid = value.partition("=")
                if name not in (if_a, if_b) or not vid.isdigit() or not 1 <= int(vid) <= 4094:
                    raise ValueError("--vlan %r: IF=ID with IF one of %s, %s and ID 1-4094" % (value, if_a, if_b))
                vlans[name] = int(vid)
        else:
            raise ValueError("unknown argument %r (valid: drop-first-fin, --rule, --vlan, --cut-file)" % arg)
    return if_a, if_b, delay, lifetime, rules, vlans, cut_file


def main(argv):
    try:
        if_a, if_b, delay, lifetime, rules, vlans, cut_file = parse_args(argv)
    except ValueError as e:
        print("delay_forwarder.py: %s" % e, file=sys.stderr)
        return 2

    def log(event):
        event["t"] = round(time.time(), 6)
        print(json.dumps(event, sort_keys=True), flush=True)

    socks = {}
    for name in (if_a, if_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        if name in vlans:
            s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)  # the kernel hands received tags over apart
        socks[name] = s
    into = {if_a: "a2b", if_b: "b2a"}
    leave = {"a2b": if_b, "b2a": if_a}
    by_fd = {s.fileno(): name for name, s in socks.items()}
    wire = Wire(delay, rules, log)
    untagged = 0
    end = time.monotonic() + lifetime
    log({"event": "start", "a": if_a, "b": if_b, "delay": delay, "rules": [r.text for r in rules],
         "vlan": vlans, "cut_file": cut_file})
    while time.monotonic() < end:
        timeout = max(0.0, wire.next_time(end) - time.monotonic())
        ready, _, _ = select.select(list(socks.values()), [], [], min(timeout, 0.05 if cut_file else timeout))
        cut = cut_file is not None and os.path.exists(cut_file)
        if cut != wire.cut:
            wire.cut = cut
            log({"event": "cut" if cut else "joined"})
        for s in ready:
            name = by_fd[s.fileno()]
            frame, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(20))
            if addr[2] == PACKET_OUTGOING:
                continue
            if name in vlans:
                vid, frame = strip_tag(frame)
                for level, kind, data in anc:
                    if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 16:
                        status, _, _, _, _, tci = struct.unpack_from("=IIIHHH", data)
                        if status & TP_STATUS_VLAN_VALID:
                            vid = tci & 0x0FFF
                if vid != vlans[name]:
                    untagged += 1  # not on the story's VLAN: stays on its side
                    continue
            wire.arrive(time.monotonic(), into[name], frame)
        for direction, frame in wire.release(time.monotonic()):
            out = leave[direction]
            try:
                socks[out].send(add_tag(frame, vlans[out]) if out in vlans else frame)
            except OSError as e:
                log({"event": "send failed", "dir": direction, "error": str(e)})
    log({"event": "end", "totals": wire.totals, "not_on_vlan": untagged})
    return 0


class WireTest(unittest.TestCase):
    """The rules on hand-built frames (no sockets, no root): python3 delay_forwarder.py --self-test."""

    @staticmethod
    def frame(flags, seq, payload=0, ip_id=1):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 20 + payload, ip_id, 0x4000, 64, 6, 0,
                         bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2]))
        tcp = struct.pack("!HHIIBBHHH", 40000, 10355, seq, 0, 5 << 4, flags, 65535, 0, 0)
        return b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + tcp + b"x" * payload

    def run_wire(self, rules, frames, delay=0.1):
        wire = Wire(delay, [parse_rule(r) for r in rules])
        out = []
        for i, (direction, f) in enumerate(frames):
            wire.arrive(i * 0.01, direction, f)
            out += wire.release(i * 0.01)
        for step in range(1, 400):  # bounded: every frame is out within HOLD_LIMIT + the delay
            out += wire.release(len(frames) * 0.01 + step * 0.01)
        return wire, out

    def test_no_rule_forwards_everything_in_order_after_the_delay(self):
        frames = [("a2b", self.frame(0x02, 1000)), ("b2a", self.frame(0x12, 5000)), ("a2b", self.frame(0x10, 1001))]
        wire = Wire(0.1, [])
        for f in frames:
            wire.arrive(0.0, *f)
        self.assertEqual(wire.release(0.05), [])
        self.assertEqual(wire.release(0.1), frames)

    def test_drop_takes_only_the_nth_match(self):
        fin1, fin2 = self.frame(0x11, 1101, ip_id=7), self.frame(0x11, 1101, ip_id=8)
        wire, out = self.run_wire(["dir=a2b,flags=F,nth=1,action=drop"],
                                  [("b2a", self.frame(0x11, 9)), ("a2b", fin1), ("a2b", fin2)])
        self.assertEqual([f for _, f in out], [self.frame(0x11, 9), fin2])
        self.assertEqual(wire.totals["a2b"]["dropped"], 1)

    def test_dup_sends_the_same_bytes_twice(self):
        syn = self.frame(0x02, 1000)
        wire, out = self.run_wire(["dir=a2b,flags=S,action=dup"], [("a2b", syn), ("a2b", self.frame(0x10, 1001))])
        self.assertEqual([f for _, f in out], [syn, syn, self.frame(0x10, 1001)])

    def test_delay_lets_later_frames_overtake(self):
        data, fin = self.frame(0x18, 1001, 100), self.frame(0x11, 1101)
        _, out = self.run_wire(["dir=a2b,flags=D,nth=1,action=delay=0.5"], [("a2b", data), ("a2b", fin)])
        self.assertEqual([f for _, f in out], [fin, data])

    def test_hold_follows_the_next_frame_of_its_direction_or_its_limit(self):
        data, ack, fin = self.frame(0x18, 1001, 100), self.frame(0x10, 7), self.frame(0x11, 1101)
        _, out = self.run_wire(["dir=a2b,flags=D,action=hold"], [("a2b", data), ("b2a", ack), ("a2b", fin)])
        self.assertEqual([f for _, f in out], [ack, fin, data])
        wire, out = self.run_wire(["dir=a2b,flags=D,action=hold"], [("a2b", data)])
        self.assertEqual([f for _, f in out], [data])

    def test_rseq_is_relative_to_the_senders_syn(self):
        frames = [("a2b", self.frame(0x02, 4294967290)), ("a2b", self.frame(0x18, 4294967291, 100)),
                  ("a2b", self.frame(0x18, (4294967291 + 100) % (1 << 32), 100))]
        _, out = self.run_wire(["dir=a2b,rseq=101,action=drop"], frames)
        self.assertEqual([f for _, f in out], [f for _, f in frames[:2]])

    def test_cut_loses_everything_both_ways(self):
        wire = Wire(0.0, [])
        wire.cut = True
        wire.arrive(0.0, "a2b", self.frame(0x10, 1))
        wire.arrive(0.0, "b2a", self.frame(0x10, 2))
        self.assertEqual(wire.release(1.0), [])
        self.assertEqual(wire.totals["a2b"]["cut"] + wire.totals["b2a"]["cut"], 2)

    def test_vlan_tag_round_trip(self):
        f = self.frame(0x10, 1)
        tagged = add_tag(f, 100)
        self.assertEqual(tagged[12:16], b"\x81\x00\x00\x64")
        self.assertEqual(strip_tag(tagged), (100, f))
        self.assertEqual(strip_tag(f), (None, f))
        self.assertIsNone(tcp_view(tagged))

    def test_bad_rules_and_arguments_say_what_is_valid(self):
        for bad in ["dir=up,action=drop", "dir=a2b,action=explode", "dir=a2b,flags=X,action=drop",
                    "dir=a2b,nth=0,action=drop", "dir=a2b,action=delay=99", "dir=a2b,when=now,action=drop"]:
            with self.assertRaises(ValueError):
                parse_rule(bad)
        for bad in [["a", "b", "0.1"], ["a", "b", "x", "5"], ["a", "b", "0.1", "0"], ["a", "b", "0.1", "5", "--vlan", "c=5"],
                    ["a", "b", "0.1", "5", "--vlan", "a=5000"], ["a", "b", "0.1", "5", "--bogus"]]:
            with self.assertRaises(ValueError):
                parse_args(bad)
        self.assertEqual(parse_args(["a", "b", "0.05", "110", "drop-first-fin"])[4][0].text,
                         "dir=a2b,flags=F,nth=1,action=drop")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        result = unittest.TextTestRunner(verbosity=1).run(unittest.defaultTestLoader.loadTestsFromTestCase(WireTest))
        sys.exit(0 if result.wasSuccessful() else 1)
    sys.exit(main(sys.argv[1:]))
