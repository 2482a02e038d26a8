package dev.finwait.diagnosis;

import dev.finwait.model.AnomalyKind;
import dev.finwait.model.CloseKind;
import dev.finwait.model.ConnectionReport;
import dev.finwait.model.HalfClose;
import dev.finwait.model.Handshake;
import dev.finwait.model.Reset;
import dev.finwait.model.ResetCause;
import dev.finwait.model.Side;
import dev.finwait.model.SideReport;
import dev.finwait.model.TimeWaitEnd;
import dev.finwait.model.TimeWaitWindow;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers per service and per host, aggregated from finished connection reports alone: add every
 * report, then {@link #finish()} once. Memory is a few counters per service and per host, a bounded
 * time series for at most {@link DiagnosisConfig#maxTimelines()} of each, and the connections still
 * open at the end of the capture (their phases end there, which only the last report tells).
 * {@link #soFar} answers during a live capture without changing it.
 * Not thread-safe: feed it from one thread (the CLI does it from the report listener).
 */
public final class Diagnosis {
    /** Distinct client addresses are counted exactly up to this many per service. */
    public static final int MAX_CLIENTS_COUNTED = 256;
    private static final int STATES = SeriesState.values().length;
    private static final int EST = SeriesState.ESTABLISHED.ordinal();
    private static final int HALF = SeriesState.HALF_CLOSED.ordinal();
    private static final int CW = SeriesState.CLOSE_WAIT.ordinal();
    private static final int TW = SeriesState.TIME_WAIT.ordinal();
    /** A service's timeline also keeps each side's TIME_WAIT apart, for the per-side peaks. */
    private static final int TW_CLIENT = STATES;
    private static final int TW_SERVER = STATES + 1;
    /** Findings are tallied per kind and per side (client, server, none). */
    private static final int SIDES = 3;
    private static final FindingKind[] KINDS = FindingKind.values();
    private static final Side[] BOTH_SIDES = Side.values();

    private final DiagnosisConfig config;
    private final long firstStep;
    private final long closeWaitThreshold;
    private final long idleTimeout;
    private final Map<Endpoint, Service> services = new HashMap<>();
    private final AddressMap<Host> hosts = new AddressMap<>();
    /** In the order the pairs were first seen: findings tied in the worst-first order stay in that order. */
    private final Map<Pair, PairStats> pairs = new java.util.LinkedHashMap<>();
    private int serviceTimelines;
    private int hostTimelines;
    /** The latest packet time any report showed: the end of the capture, once every report is in. */
    private long lastSeen = Long.MIN_VALUE;
    /** Phases still going on when their connection was reported at the end of the capture. */
    private final List<OpenPhase> openPhases = new ArrayList<>();
    private final List<OpenCloseWait> openCloseWaits = new ArrayList<>();
    private final SidePhases clientPhases = new SidePhases();
    private final SidePhases serverPhases = new SidePhases();
    /** Reports added. */
    private long added;
    /**
     * Where the counters of services and hosts past {@link DiagnosisConfig#maxRecords} go: never
     * reported, so memory stays bounded; only the number of connections (ends) they took is.
     */
    private final Service unrecordedService;
    private final Host unrecordedHost;
    private long connectionsWithoutService;
    private long endsWithoutHost;
    private boolean finished;

    /** An empty diagnosis; feed it reports with {@link #add}, then call {@link #finish}. */
    public Diagnosis(DiagnosisConfig config) {
        this.config = config;
        this.firstStep = config.seriesStep() == null ? 1_000_000L : Math.max(1, config.seriesStep().toNanos());
        this.closeWaitThreshold = config.closeWaitThreshold().toNanos();
        this.idleTimeout = config.idleTimeout().toNanos();
        this.unrecordedService = new Service(null, false);
        this.unrecordedHost = new Host(null, false);
    }

    /** {@return the thresholds it was made with} */
    public DiagnosisConfig config() {
        return config;
    }

    private record Pair(IpAddress client, Endpoint server) {
    }

    /** A phase without an end yet: it lasts until the end of the capture. */
    private record OpenPhase(Timeline[] timelines, int state, long from) {
    }

    /** A side still in CLOSE_WAIT at the end of the capture, silent since {@code idleFrom}. */
    private record OpenCloseWait(Service service, Host host, Side side, long id, long from, long idleFrom) {
    }

    private final class Service {
        final Endpoint server;
        long connections;
        final Set<IpAddress> clients = new HashSet<>();
        boolean clientsCapped;
        final long[] handshake = new long[Handshake.values().length];
        final long[] close = new long[CloseKind.values().length];
        long finClient;
        long finServer;
        long finNone;
        final long[][] resets = new long[2][ResetCause.values().length];
        long twClient;
        long twServer;
        long cwConnections;
        long cwMaxNanos;
        long cwOpenAtEnd;
        final Tally[] findings = new Tally[KINDS.length * SIDES];
        final Timeline timeline;

        Service(Endpoint server) {
            this(server, true);
        }

        Service(Endpoint server, boolean withTimeline) {
            this.server = server;
            this.timeline = withTimeline && serviceTimelines < config.maxTimelines() ? newTimeline(STATES + 2) : null;
            if (timeline != null) {
                serviceTimelines++;
            }
        }

        /** A deep copy; its timeline is recorded in {@code copies} (original -> copy). */
        Service(Service from, Map<Timeline, Timeline> copies) {
            server = from.server;
            connections = from.connections;
            clients.addAll(from.clients);
            clientsCapped = from.clientsCapped;
            System.arraycopy(from.handshake, 0, handshake, 0, handshake.length);
            System.arraycopy(from.close, 0, close, 0, close.length);
            finClient = from.finClient;
            finServer = from.finServer;
            finNone = from.finNone;
            for (int i = 0; i < resets.length; i++) {
                System.arraycopy(from.resets[i], 0, resets[i], 0, resets[i].length);
            }
            twClient = from.twClient;
            twServer = from.twServer;
            cwConnections = from.cwConnections;
            cwMaxNanos = from.cwMaxNanos;
            cwOpenAtEnd = from.cwOpenAtEnd;
            copyTallies(from.findings, findings);
            timeline = copy(from.timeline, copies);
        }
    }

    private final class Host extends AddressMap.Keyed {
        final IpAddress ip;
        long asClient;
        long asServer;
        /** Connections with this address on either end, each counted once. */
        long connections;
        /** Allocated on the first RST or finding: most hosts of a big capture have neither. */
        long[] resetsSent;
        Tally[] findings;
        final Timeline timeline;

        Host(IpAddress ip) {
            this(ip, true);
        }

        Host(IpAddress ip, boolean withTimeline) {
            super(ip);
            this.ip = ip;
            this.timeline = withTimeline && hostTimelines < config.maxTimelines() ? newTimeline(STATES) : null;
            if (timeline != null) {
                hostTimelines++;
            }
        }

        /** A deep copy; its timeline is recorded in {@code copies} (original -> copy). */
        Host(Host from, Map<Timeline, Timeline> copies) {
            super(from.ip);
            ip = from.ip;
            asClient = from.asClient;
            asServer = from.asServer;
            connections = from.connections;
            resetsSent = from.resetsSent == null ? null : from.resetsSent.clone();
            if (from.findings != null) {
                findings = new Tally[from.findings.length];
                copyTallies(from.findings, findings);
            }
            timeline = copy(from.timeline, copies);
        }
    }

    private static final class PairStats {
        final Timeline timeWait;
        final Tally connections;

        PairStats(Timeline timeWait, int examples) {
            this.timeWait = timeWait;
            this.connections = new Tally(examples);
        }

        PairStats(PairStats from, Map<Timeline, Timeline> copies) {
            this.timeWait = copy(from.timeWait, copies);
            this.connections = from.connections.copy();
        }
    }

    private static Timeline copy(Timeline t, Map<Timeline, Timeline> copies) {
        if (t == null) {
            return null;
        }
        Timeline c = t.copy();
        copies.put(t, c);
        return c;
    }

    private static void copyTallies(Tally[] from, Tally[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i] == null ? null : from[i].copy();
        }
    }

    /**
     * A deep copy of {@code from}, which is left as it was: what {@link #soFar} finishes in its place.
     * Costs the counters of every service and host and the kept timelines (at most a few MB).
     */
    private Diagnosis(Diagnosis from) {
        this(from.config);
        Map<Timeline, Timeline> copies = new java.util.IdentityHashMap<>();
        for (Service s : from.services.values()) {
            services.put(s.server, new Service(s, copies));
        }
        for (Host h : from.hosts.values()) {
            hosts.put(new Host(h, copies));
        }
        for (Map.Entry<Pair, PairStats> e : from.pairs.entrySet()) {
            pairs.put(e.getKey(), new PairStats(e.getValue(), copies));
        }
        serviceTimelines = from.serviceTimelines;
        hostTimelines = from.hostTimelines;
        lastSeen = from.lastSeen;
        added = from.added;
        connectionsWithoutService = from.connectionsWithoutService;
        endsWithoutHost = from.endsWithoutHost;
        for (OpenPhase o : from.openPhases) {
            Timeline[] ts = new Timeline[o.timelines.length];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = o.timelines[i] == null ? null : copies.get(o.timelines[i]);
            }
            openPhases.add(new OpenPhase(ts, o.state, o.from));
        }
        for (OpenCloseWait o : from.openCloseWaits) {
            Service service = o.service == from.unrecordedService ? unrecordedService : services.get(o.service.server);
            Host host = o.host == from.unrecordedHost ? unrecordedHost : hosts.get(o.host.ip);
            openCloseWaits.add(new OpenCloseWait(service, host, o.side, o.id, o.from, o.idleFrom));
        }
    }

    private Timeline newTimeline(int states) {
        return new Timeline(states, config.seriesPoints(), firstStep);
    }

    // ------------------------------------------------------------------ one report

    /** Counts one finished connection (not after {@link #finish}). */
    public void add(ConnectionReport r) {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        long id = r.id();
        added++;
        lastSeen = Math.max(lastSeen, r.lastNanos());
        Service s = service(r.server());
        Host client = host(r.client().ip());
        Host server = host(r.server().ip());
        s.connections++;
        client.asClient++;
        server.asServer++;
        client.connections++;
        if (server != client) {
            server.connections++;
        }
        if (!s.clientsCapped) {
            s.clients.add(r.client().ip());
            s.clientsCapped = s.clients.size() >= MAX_CLIENTS_COUNTED;
        }
        s.handshake[r.handshake().ordinal()]++;
        s.close[r.close().ordinal()]++;
        Side firstFin = r.firstFin().orElse(null);
        if (firstFin == Side.CLIENT) s.finClient++; else if (firstFin == Side.SERVER) s.finServer++; else s.finNone++;

        int seen = 0; // bit per (kind, side) already counted for this connection
        List<Reset> resets = r.resets();
        for (int i = 0; i < resets.size(); i++) { // indexed: an immutable list's iterator is an object per report
            Reset x = resets.get(i);
            s.resets[x.by().ordinal()][x.cause().ordinal()]++;
            Host sender = x.by() == Side.CLIENT ? client : server;
            if (sender.resetsSent == null) {
                sender.resetsSent = new long[ResetCause.values().length];
            }
            sender.resetsSent[x.cause().ordinal()]++;
            // Unread input needs input: the RST's sender must have been sent data, else it is a plain abort.
            boolean hadInput = r.side(x.by().opposite()).counts().payloadBytes() > 0;
            // A lone RST is a close with unread input only where the sender's receive window shows input it
            // had not read (shrunk to half or less, never reopened); else SO_LINGER 0 or a killed process
            // look the same.
            boolean unread = hadInput && x.senderWindow() != null && x.senderWindow().heldUnreadInput();
            FindingKind kind = switch (x.cause()) {
                case DATA_AFTER_CLOSE -> FindingKind.WRITE_AFTER_PEER_CLOSE;
                case ABORT_AFTER_CLOSE -> hadInput ? FindingKind.CLOSE_WITH_UNREAD_DATA : FindingKind.ABORTIVE_CLOSE;
                case ABORT -> unread ? FindingKind.CLOSE_WITH_UNREAD_DATA : FindingKind.ABORTIVE_CLOSE;
                default -> null;
            };
            if (kind != null) {
                // The writer is the one at fault when data after close drew the RST; else the RST's sender.
                Side side = kind == FindingKind.WRITE_AFTER_PEER_CLOSE ? x.by().opposite() : x.by();
                int how = kind == FindingKind.CLOSE_WITH_UNREAD_DATA && x.cause() == ResetCause.ABORT
                        ? Explanations.LONE_RST : Explanations.AFTER_FIN;
                seen = note(seen, kind, side, s, side == Side.CLIENT ? client : server, id, how);
            }
        }
        if (r.handshake() == Handshake.REFUSED) {
            seen = note(seen, FindingKind.REFUSED, null, s, server, id);
        } else if (r.handshake() == Handshake.UNANSWERED && r.clientSide().counts().syn() >= 2) {
            seen = note(seen, FindingKind.UNANSWERED_SYN, null, s, server, id);
        }
        if (r.reuse().isPresent() && r.reuse().get().inTimeWaitOf() != null) {
            Side of = r.reuse().get().inTimeWaitOf();
            seen = note(seen, FindingKind.REUSE_IN_TIME_WAIT, of, s, of == Side.CLIENT ? client : server, id);
        }
        List<TimeWaitWindow> windows = r.timeWait();
        for (int i = 0; i < windows.size(); i++) {
            TimeWaitWindow w = windows.get(i);
            // A window still open in a report of a connection still tracked (soFar) lasts until the end.
            boolean open = w.endedBy() == TimeWaitEnd.SCHEDULED;
            if (!open) {
                lastSeen = Math.max(lastSeen, w.endedAtNanos());
            }
            Host h = w.side() == Side.CLIENT ? client : server;
            if (w.side() == Side.CLIENT) {
                s.twClient++;
                PairStats p = pair(r.client().ip(), r.server());
                if (p != null) {
                    if (open) {
                        openPhases.add(new OpenPhase(new Timeline[] {p.timeWait}, 0, w.fromNanos()));
                    } else if (w.endedBy() == TimeWaitEnd.CAPTURE_END) {
                        p.timeWait.addUntilEnd(0, w.fromNanos(), w.endedAtNanos());
                    } else {
                        p.timeWait.add(0, w.fromNanos(), w.endedAtNanos());
                    }
                    p.connections.add(id);
                }
            } else {
                s.twServer++;
                if (firstFin == Side.SERVER) {
                    seen = note(seen, FindingKind.TIME_WAIT_ON_SERVER, Side.SERVER, s, server, id);
                }
            }
            if (open) {
                openPhases.add(new OpenPhase(new Timeline[] {s.timeline, h.timeline}, TW, w.fromNanos()));
                openPhases.add(new OpenPhase(new Timeline[] {s.timeline}, w.side() == Side.CLIENT ? TW_CLIENT : TW_SERVER,
                        w.fromNanos()));
                continue;
            }
            boolean toEnd = w.endedBy() == TimeWaitEnd.CAPTURE_END;
            add(s.timeline, TW, w.fromNanos(), w.endedAtNanos(), toEnd);
            add(s.timeline, w.side() == Side.CLIENT ? TW_CLIENT : TW_SERVER, w.fromNanos(), w.endedAtNanos(), toEnd);
            add(h.timeline, TW, w.fromNanos(), w.endedAtNanos(), toEnd);
        }
        phases(r, s, client, server);
    }

    /** The service's record, a new one, or past the cap the unrecorded one. */
    private Service service(Endpoint server) {
        Service s = services.get(server);
        if (s == null) {
            if (services.size() >= config.maxRecords()) {
                connectionsWithoutService++;
                return unrecordedService;
            }
            s = new Service(server);
            services.put(server, s);
        }
        return s;
    }

    /** The address's record, a new one, or past the cap the unrecorded one. */
    private Host host(IpAddress ip) {
        Host h = hosts.get(ip);
        if (h == null) {
            if (hosts.size() >= config.maxRecords()) {
                endsWithoutHost++;
                return unrecordedHost;
            }
            h = new Host(ip);
            hosts.put(h);
        }
        return h;
    }

    /** Counts a finding once per connection; returns the updated per-connection bits. */
    private int note(int seen, FindingKind kind, Side side, Service s, Host h, long id) {
        return note(seen, kind, side, s, h, id, 0);
    }

    /** As {@link #note(int, FindingKind, Side, Service, Host, long)}, marking how the packets showed it. */
    private int note(int seen, FindingKind kind, Side side, Service s, Host h, long id, int how) {
        int index = kind.ordinal() * SIDES + (side == null ? 2 : side.ordinal()); // < 31: fits the bits
        if ((seen & (1 << index)) != 0) {
            return seen;
        }
        tally(s.findings, index).add(id, how);
        if (h.findings == null) {
            h.findings = new Tally[KINDS.length * SIDES];
        }
        tally(h.findings, index).add(id, how);
        return seen | 1 << index;
    }

    private Tally tally(Tally[] tallies, int index) {
        if (tallies[index] == null) {
            tallies[index] = new Tally(config.maxExamples());
        }
        return tallies[index];
    }

    private PairStats pair(IpAddress client, Endpoint server) {
        Pair key = new Pair(client, server);
        PairStats p = pairs.get(key);
        if (p == null && pairs.size() < config.maxTimelines()) {
            p = new PairStats(newTimeline(1), config.maxExamples());
            pairs.put(key, p);
        }
        return p;
    }

    private static void add(Timeline t, int state, long from, long to) {
        add(t, state, from, to, false);
    }

    private static void add(Timeline t, int state, long from, long to, boolean untilEnd) {
        if (t == null) {
            return;
        }
        if (untilEnd) {
            t.addUntilEnd(state, from, to);
        } else {
            t.add(state, from, to);
        }
    }

    /**
     * ESTABLISHED from the later side's ESTABLISHED to the first FIN or RST; after a FIN, the peer's
     * CLOSE_WAIT until it closes, counted as half-closed when it kept sending data.
     */
    private void phases(ConnectionReport r, Service s, Host client, Host server) {
        boolean expired = expiredIdle(r);
        // A phase still going on when the connection was reported: an expired one stayed as it was for
        // the idle timeout; otherwise the capture ended first, and only the last report says when.
        long end = expired ? r.lastNanos() + idleTimeout : Long.MIN_VALUE;
        SidePhases c = clientPhases.of(r.clientSide());
        SidePhases v = serverPhases.of(r.serverSide());
        long est = Math.max(c.estAt, v.estAt);
        if (est != Long.MAX_VALUE) {
            long left = Math.min(c.estLeft, v.estLeft);
            phase(s.timeline, client.timeline, server.timeline, EST, est, left, end);
        }
        for (Side side : BOTH_SIDES) {
            SideReport sr = r.side(side);
            SidePhases p = side == Side.CLIENT ? c : v;
            long cw = p.cwAt;
            if (cw == Long.MAX_VALUE) {
                continue;
            }
            // Stuck needs proof that the FIN arrived (the side acknowledged it); a CLOSE_WAIT only inferred
            // (a one-sided capture) is counted in the series but never judged.
            boolean judged = !p.cwInferred;
            long left = p.cwLeft;
            HalfClose h = r.halfClose().orElse(null);
            boolean sending = h != null && h.by() == side.opposite() && h.bytesAfter() > 0;
            Host mine = side == Side.CLIENT ? client : server;
            Host peer = side == Side.CLIENT ? server : client;
            if (sending) {
                phase(s.timeline, mine.timeline, peer.timeline, HALF, cw, left, end);
            } else {
                phase(s.timeline, mine.timeline, mine.timeline, CW, cw, left, end);
            }
            if (side == Side.SERVER) {
                s.cwConnections++;
                if (sr.finalState() == TcpState.CLOSE_WAIT) {
                    s.cwOpenAtEnd++;
                }
            }
            // Silent in CLOSE_WAIT: from the FIN, or, when it kept sending, from its last packet seen.
            long idleFrom = sending ? r.lastNanos() : cw;
            if (left != Long.MAX_VALUE) {
                // It closed: a sender is not judged (it may have sent until it closed).
                closeWait(s, mine, side, r.id(), left - cw, sending || !judged ? -1 : left - cw);
            } else if (end != Long.MIN_VALUE) {
                closeWait(s, mine, side, r.id(), end - cw, judged ? end - idleFrom : -1);
            } else {
                openCloseWaits.add(new OpenCloseWait(s, mine, side, r.id(), cw, judged ? idleFrom : Long.MAX_VALUE));
            }
        }
    }

    private void closeWait(Service s, Host h, Side side, long id, long stayed, long silent) {
        if (side == Side.SERVER) {
            s.cwMaxNanos = Math.max(s.cwMaxNanos, stayed);
        }
        if (silent >= closeWaitThreshold) {
            note(0, FindingKind.CLOSE_WAIT_STUCK, side, s, h, id);
        }
    }

    /**
     * A phase of the service's, {@code a}'s and {@code b}'s timelines; {@code b} the same as {@code a}
     * when only one host counts it (one host on both ends, loopback, counts the connection once).
     */
    private void phase(Timeline service, Timeline a, Timeline b, int state, long from, long to, long end) {
        if (to == Long.MAX_VALUE) {
            if (end == Long.MIN_VALUE) {
                openPhases.add(new OpenPhase(a == b ? new Timeline[] {service, a} : new Timeline[] {service, a, b},
                        state, from));
                return;
            }
            to = end;
        }
        add(service, state, from, to);
        add(a, state, from, to);
        if (b != a) {
            add(b, state, from, to);
        }
    }

    /**
     * What {@link #phases} needs of a side's transitions, in one pass (each transition read once, field by
     * field): when it first entered ESTABLISHED and CLOSE_WAIT, when
     * it next left each (MAX_VALUE if never entered or never left), and whether that CLOSE_WAIT was inferred
     * (no packet showed it; true if never entered). Reused from report to report.
     */
    private static final class SidePhases {
        long estAt;
        long estLeft;
        long cwAt;
        long cwLeft;
        boolean cwInferred;

        SidePhases of(SideReport side) {
            estAt = estLeft = cwAt = cwLeft = Long.MAX_VALUE;
            cwInferred = true;
            boolean inEst = false;
            boolean inCw = false;
            int n = side.transitions().size();
            for (int i = 0; i < n; i++) { // field by field: no iterator, no Transition made
                TcpState state = side.stateAt(i);
                if (inEst && state != TcpState.ESTABLISHED) {
                    estLeft = side.atNanosAt(i);
                    inEst = false;
                }
                if (inCw && state != TcpState.CLOSE_WAIT) {
                    cwLeft = side.atNanosAt(i);
                    inCw = false;
                }
                if (state == TcpState.ESTABLISHED && estAt == Long.MAX_VALUE) {
                    estAt = side.atNanosAt(i);
                    inEst = true;
                } else if (state == TcpState.CLOSE_WAIT && cwAt == Long.MAX_VALUE) {
                    cwAt = side.atNanosAt(i);
                    cwInferred = side.inferredAt(i);
                    inCw = true;
                }
            }
            return this;
        }
    }

    private static boolean expiredIdle(ConnectionReport r) {
        // The analyzer names a connection it finished for silence with this anomaly.
        var anomalies = r.anomalies();
        for (int i = 0; i < anomalies.size(); i++) {
            if (anomalies.get(i).kind() == AnomalyKind.EXPIRED_IDLE) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ so far (live)

    /**
     * The diagnosis as it stands at {@code asOfNanos}, for a live capture's periodic summary: the reports
     * added so far plus {@code tracked}, the provisional reports of the connections still tracked (their
     * TIME_WAIT windows {@code SCHEDULED}, their phases going on until {@code asOfNanos}). This diagnosis
     * is left as it was (a deep copy is finished instead), so it can go on and be finished later.
     */
    public Interim soFar(List<ConnectionReport> tracked, long asOfNanos) {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        Diagnosis copy = new Diagnosis(this);
        long finishedSoFar = copy.added;
        copy.lastSeen = Math.max(copy.lastSeen, asOfNanos);
        for (ConnectionReport r : tracked) {
            copy.add(r);
        }
        long asOf = copy.lastSeen;
        return new Interim(asOf, finishedSoFar, tracked.size(), copy.finish());
    }

    // ------------------------------------------------------------------ the end

    /** Ends the phases still open at the end of the capture and returns the diagnosis. Call once. */
    public DiagnosisResult finish() {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        finished = true;
        for (OpenPhase o : openPhases) {
            for (Timeline t : o.timelines) {
                add(t, o.state, o.from, lastSeen, true);
            }
        }
        for (OpenCloseWait o : openCloseWaits) {
            closeWait(o.service, o.host, o.side, o.id, lastSeen - o.from,
                    o.idleFrom == Long.MAX_VALUE ? -1 : lastSeen - o.idleFrom);
        }
        openPhases.clear();
        openCloseWaits.clear();

        List<Service> byBusy = new ArrayList<>(services.values());
        byBusy.sort(Comparator.comparingLong((Service s) -> -s.connections).thenComparing(s -> s.server));
        List<Host> hostsByBusy = new ArrayList<>(hosts.values());
        hostsByBusy.sort(Comparator.comparingLong((Host h) -> -h.connections).thenComparing(h -> h.ip));

        List<Finding> all = new ArrayList<>();
        List<ServiceRecord> serviceRecords = new ArrayList<>();
        for (Service s : byBusy) {
            List<Finding> f = findings(s.findings, s.server, s.connections);
            all.addAll(f);
            serviceRecords.add(record(s, f));
        }
        Map<IpAddress, List<Finding>> pressure = new HashMap<>();
        for (Map.Entry<Pair, PairStats> e : pairs.entrySet()) {
            long peak = e.getValue().timeWait.peak(0);
            if (peak >= config.portPressureShare() * config.ephemeralPorts()) {
                Severity sev = peak >= 0.9 * config.ephemeralPorts() ? Severity.PROBLEM : Severity.WARNING;
                Finding f = new Finding(FindingKind.EPHEMERAL_PORT_PRESSURE, sev, Side.CLIENT, e.getKey().server(), peak,
                        config.ephemeralPorts(), e.getValue().connections.examples(),
                        Explanations.of(FindingKind.EPHEMERAL_PORT_PRESSURE, Side.CLIENT, config, peak));
                pressure.computeIfAbsent(e.getKey().client(), k -> new ArrayList<>()).add(f);
                all.add(f);
            }
        }
        List<HostRecord> hostRecords = new ArrayList<>();
        for (Host h : hostsByBusy) {
            List<Finding> f = new ArrayList<>(findings(h.findings, null, h.connections));
            f.addAll(pressure.getOrDefault(h.ip, List.of()));
            f.sort(WORST_FIRST);
            hostRecords.add(record(h, f));
        }
        all.sort(WORST_FIRST);
        return new DiagnosisResult(serviceRecords, hostRecords, series(byBusy, hostsByBusy), all,
                connectionsWithoutService, endsWithoutHost);
    }

    /** Worst first: severity, then count, then kind and service for a stable order. */
    static final Comparator<Finding> WORST_FIRST = Comparator.comparing((Finding f) -> f.severity()).reversed()
            .thenComparing(Comparator.comparingLong(Finding::count).reversed())
            .thenComparing(f -> f.kind())
            .thenComparing(f -> f.service(), Comparator.nullsFirst(Comparator.naturalOrder()));

    private List<Finding> findings(Tally[] tallies, Endpoint service, long connections) {
        List<Finding> out = new ArrayList<>();
        if (tallies == null) {
            return out;
        }
        for (int i = 0; i < tallies.length; i++) {
            Tally t = tallies[i];
            if (t == null || t.count == 0) {
                continue;
            }
            FindingKind kind = KINDS[i / SIDES];
            Side side = i % SIDES == 2 ? null : Side.values()[i % SIDES];
            out.add(new Finding(kind, kind.severity(), side, service, t.count, connections, t.examples(),
                    Explanations.of(kind, side, config, 0, t.marks)));
        }
        out.sort(WORST_FIRST);
        return out;
    }

    private ServiceRecord record(Service s, List<Finding> findings) {
        Map<Handshake, Long> handshake = new EnumMap<>(Handshake.class);
        for (Handshake h : Handshake.values()) {
            if (s.handshake[h.ordinal()] > 0) handshake.put(h, s.handshake[h.ordinal()]);
        }
        Map<CloseKind, Long> close = new EnumMap<>(CloseKind.class);
        for (CloseKind c : CloseKind.values()) {
            if (s.close[c.ordinal()] > 0) close.put(c, s.close[c.ordinal()]);
        }
        Map<Side, Map<ResetCause, Long>> resets = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            resets.put(side, causes(s.resets[side.ordinal()]));
        }
        Long peakClient = s.timeline == null ? null : s.timeline.peak(TW_CLIENT);
        Long peakServer = s.timeline == null ? null : s.timeline.peak(TW_SERVER);
        return new ServiceRecord(s.server, s.connections, s.clients.size(), !s.clientsCapped, handshake, close,
                new ServiceRecord.FirstFins(s.finClient, s.finServer, s.finNone), resets,
                new ServiceRecord.TimeWaits(s.twClient, s.twServer, peakClient, peakServer),
                new ServiceRecord.CloseWaits(s.cwConnections, s.cwMaxNanos / 1e9, s.cwOpenAtEnd), findings);
    }

    private static Map<ResetCause, Long> causes(long[] counts) {
        Map<ResetCause, Long> m = new EnumMap<>(ResetCause.class);
        for (ResetCause c : ResetCause.values()) {
            if (c.ordinal() < counts.length && counts[c.ordinal()] > 0) m.put(c, counts[c.ordinal()]);
        }
        return m;
    }

    private HostRecord record(Host h, List<Finding> findings) {
        HostRecord.Role role = h.asClient > 0 && h.asServer > 0 ? HostRecord.Role.BOTH
                : h.asServer > 0 ? HostRecord.Role.SERVER : HostRecord.Role.CLIENT;
        Long tw = h.timeline == null ? null : h.timeline.peak(TW);
        Long cw = h.timeline == null ? null : h.timeline.peak(CW);
        return new HostRecord(h.ip, role, h.asClient, h.asServer, tw, cw,
                causes(h.resetsSent == null ? new long[0] : h.resetsSent), findings);
    }

    /**
     * Every kept series on one grid: the coarsest step of them all (doubled again while the span of
     * the whole capture needs more points than a series may have), the same start and length.
     */
    private List<Series> series(List<Service> services, List<Host> hosts) {
        List<Timeline> all = new ArrayList<>();
        List<Endpoint> ofService = new ArrayList<>();
        List<IpAddress> ofHost = new ArrayList<>();
        for (Service s : services) {
            if (s.timeline != null && !s.timeline.isEmpty()) {
                all.add(s.timeline);
                ofService.add(s.server);
                ofHost.add(null);
            }
        }
        for (Host h : hosts) {
            if (h.timeline != null && !h.timeline.isEmpty()) {
                all.add(h.timeline);
                ofService.add(null);
                ofHost.add(h.ip);
            }
        }
        if (all.isEmpty()) {
            return List.of();
        }
        long step = firstStep;
        for (Timeline t : all) step = Math.max(step, t.step());
        long first;
        long last;
        for (int guard = 0; ; guard++) {
            first = Long.MAX_VALUE;
            last = Long.MIN_VALUE;
            for (Timeline t : all) {
                t.coarsenTo(step);
                first = Math.min(first, t.firstBucket());
                last = Math.max(last, t.lastBucket());
            }
            if (last - first < config.seriesPoints() || guard > 64) {
                break;
            }
            step *= 2;
        }
        List<Series> out = new ArrayList<>(all.size());
        int n = (int) (last - first + 1);
        for (int i = 0; i < all.size(); i++) {
            List<double[]> values = new ArrayList<>(STATES);
            for (int state = 0; state < STATES; state++) {
                values.add(all.get(i).means(state, first, n));
            }
            out.add(new Series(ofService.get(i), ofHost.get(i), first * step, step, values));
        }
        return out;
    }
}
