package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The page's structure without a browser (HtmlReportBrowserTest draws it), and --format svg. */
class HtmlFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path sample(String name) {
        return Path.of(System.getProperty("finwait.samples"), name);
    }

    private static String blob(String page, String id) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), id);
        return m.group(1);
    }

    @Test
    void onePageWithTheDataAndOnlyItsOwnScript() throws Exception {
        Cli.Result r = Cli.run("--format", "html", "-q", sample("write-after-close.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        String page = r.out();
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        JsonNode connections = JSON.readTree(blob(page, "finwait-connections"));
        JsonNode summary = JSON.readTree(blob(page, "finwait-summary"));
        assertEquals(1, connections.size());
        JsonNode c = connections.get(0);
        assertEquals(1, c.get("i").asInt());
        assertEquals("fin_then_reset", c.get("k").asText());
        assertEquals(9 * 9, c.get("g").size(), "nine numbers for each of the nine segments");
        assertEquals(List.of("127.0.0.1"), List.of(summary.get("hosts").get(0).asText()));
        assertEquals(9, summary.get("frames").asInt());
        assertEquals(1, summary.get("ladders").get("kept").asInt());
        // The policy allows the page's own script only, by its hash; nothing is fetched.
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertTrue(script.find());
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(page.contains("script-src 'sha256-" + hash + "'"), "CSP carries the script's hash");
        assertTrue(page.contains("default-src 'none'"));
        assertFalse(script.find(), "one script");
        assertFalse(page.contains("http://") && !page.contains("http://www.w3.org/2000/svg"), "no http URL but the SVG namespace");
        assertFalse(page.contains("https://"));
    }

    @Test
    void aFileNameCannotCloseTheDataScript(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("x<").resolve("script><b>&.pcap");
        Files.createDirectories(odd.getParent());
        Files.copy(sample("close-normal.pcap"), odd);
        Path out = dir.resolve("page.html");
        Cli.Result r = Cli.run("--format", "html", "-q", "-o", out.toString(), odd.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.out(), "the page went to the file");
        String page = Files.readString(out);
        String summary = blob(page, "finwait-summary");
        assertFalse(summary.contains("<"), summary);
        assertEquals(odd.toString(), JSON.readTree(summary).get("inputs").get(0).asText());
    }

    @Test
    void svgFormatDrawsOneLadder() throws Exception {
        Cli.Result r = Cli.run("--format", "svg", "--connection", "1", "-q", sample("write-after-close.pcap").toString());
        assertEquals(0, r.code(), r::toString);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        Element svg = doc.getDocumentElement();
        assertEquals("svg", svg.getLocalName());
        assertEquals("1", svg.getAttribute("data-connection-id"));
        NodeList groups = svg.getElementsByTagName("g");
        assertEquals(9, groups.getLength(), "one arrow per segment");
        List<String> client = new ArrayList<>();
        NodeList texts = svg.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.getAttribute("data-side").equals("client")) client.add(t.getAttribute("data-state"));
        }
        // the text ladder of the README: SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSED
        assertEquals(List.of("SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSED"), client);
        assertTrue(r.out().contains("reset: client RST in FIN_WAIT_2, data after close"), r.out());
    }

    @Test
    void svgNeedsAConnection() {
        Cli.Result r = Cli.run("--format", "svg", "-q", sample("write-after-close.pcap").toString());
        assertEquals(2, r.code());
        assertEquals(List.of("analyze: --format svg draws one connection: add --connection ID (ids are in any other format)"),
                r.errLines());
        Cli.Result missing = Cli.run("--format", "svg", "--connection", "7", "-q", sample("write-after-close.pcap").toString());
        assertEquals(2, missing.code());
        assertEquals(List.of("analyze: --connection 7: no such connection (the ids are 1 to 1)"), missing.errLines());
    }

    @Test
    void outputToAMissingDirectoryIsOneLine(@TempDir Path dir) {
        Cli.Result r = Cli.run("--format", "html", "-o", dir.resolve("no/such.html").toString(), sample("close-normal.pcap").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("analyze: --output "), r.err());
    }
}
