package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.finwait.event.ConnectionEvent;
import dev.finwait.model.Side;
import dev.finwait.model.TcpState;
import dev.finwait.tcp.Endpoint;
import dev.finwait.tcp.FlowKey;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Issue 14: live event lines name the connection client first, as the report does. */
class EventPrinterTest {

    @Test
    void eventLinesAreOrientedClientToServerWhateverTheKeysOrder() {
        Endpoint client = Endpoint.of("10.0.0.2", 50000);
        Endpoint server = Endpoint.of("10.0.0.1", 80); // sorts first: the key puts the server first
        FlowKey key = FlowKey.of(client, server);
        StringWriter out = new StringWriter();
        EventPrinter p = new EventPrinter(out);
        p.print(new ConnectionEvent.Opened(7, key, 1_000_000_000L, 1, client, server));
        p.print(new ConnectionEvent.StateChanged(7, key, 1_000_000_000L, 1, Side.CLIENT, TcpState.UNKNOWN,
                TcpState.SYN_SENT, false));
        String line = out.toString();
        assertEquals(" #7 10.0.0.2:50000 > 10.0.0.1:80  client UNKNOWN -> SYN_SENT\n", line.substring(line.indexOf(" #")));
    }

    @Test
    void theStartLineNamesInterfaceLinkTypeSnapLengthBufferAndFilter() {
        var o = dev.finwait.capture.live.LiveOptions.of("eth0").withFilter("tcp port 443");
        assertEquals("listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes, buffer 64 MiB, "
                + "filter 'tcp port 443'", AnalyzeCommand.startLine(o, "EN10MB (Ethernet)"));
        assertEquals("listening on lo, link-type EN10MB (Ethernet), snapshot length 100 bytes, buffer 3000000 bytes, "
                + "no filter", AnalyzeCommand.startLine(dev.finwait.capture.live.LiveOptions.of("lo").withSnaplen(100)
                .withBufferSize(3_000_000), "EN10MB (Ethernet)"));
    }
}
