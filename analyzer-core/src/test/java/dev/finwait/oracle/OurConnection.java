package dev.finwait.oracle;

import dev.finwait.model.ConnectionReport;
import dev.finwait.model.SideCounts;
import dev.finwait.model.ZeekSummary;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.util.Optional;

/** What the oracles are compared with: one of our connections, reduced to the fields some oracle reports. */
record OurConnection(Endpoint client, Endpoint server, SideCounts clientCounts, SideCounts serverCounts,
                     ZeekSummary zeek, int completeness, Optional<TcpState> clientFinal,
                     Optional<TcpState> serverFinal) {

    static OurConnection of(ConnectionReport r) {
        return new OurConnection(r.client(), r.server(), r.clientSide().counts(), r.serverSide().counts(), r.zeek(),
                r.completeness(), Optional.of(r.clientSide().finalState()),
                Optional.of(r.serverSide().finalState()));
    }

    FlowKey key() {
        return FlowKey.of(client, server);
    }

    String describe() {
        return client + " > " + server;
    }
}
