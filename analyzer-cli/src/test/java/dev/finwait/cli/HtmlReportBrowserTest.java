package dev.finwait.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The HTML report of sample-captures/busy.pcap in Debian's headless Chromium (through chromedriver):
 * no console error, no request leaves the page, one row per connection of the JSONL, a click shows the
 * ladder with the states the JSONL gives, filters change the rows. Screenshots of the overview and of a
 * ladder are kept in target/browser/. Skipped without chromium and chromedriver, except in CI (CI=true),
 * where that is a failure: ./run-tests installs both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Chromium.WAIT;
    private static final Path OUT = Path.of("target", "browser");

    private ChromeDriver driver;
    private String url;
    private final Map<Long, JsonNode> jsonl = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        if (Chromium.browser() == null || Chromium.driver() == null) {
            if (Cli.inCi()) {
                fail("chromium and chromedriver are needed for the browser test in CI (./run-tests installs them)");
            }
            Assumptions.abort("chromium or chromedriver missing (apt-get install chromium chromium-driver)");
        }
        Files.createDirectories(OUT);
        String capture = Path.of(System.getProperty("finwait.samples"), "busy.pcap").toString();
        Path page = OUT.resolve("busy.html").toAbsolutePath();
        Cli.Result html = Cli.run("--format", "html", "-q", "-o", page.toString(), capture);
        assertEquals(0, html.code(), html::toString);
        Cli.Result lines = Cli.run("--format", "jsonl", "-q", capture);
        assertEquals(0, lines.code(), lines::toString);
        for (String line : lines.outLines()) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("connection")) {
                jsonl.put(n.get("id").asLong(), n);
            }
        }
        driver = Chromium.start(1400, 1800);
        url = page.toUri().toString();
        load("");
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    private void load(String fragment) {
        driver.get("about:blank");
        driver.get(url + fragment);
        new WebDriverWait(driver, WAIT).until(d -> "true".equals(
                ((JavascriptExecutor) d).executeScript("return document.body && document.body.getAttribute('data-ready')")));
    }

    private Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Scrolls the virtualized list from top to bottom and collects every row's connection id, in order. */
    private List<Long> allRowIds() {
        List<Long> ids = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        js("document.getElementById('rows').scrollTop = 0;");
        for (int step = 0; step < 10_000; step++) {
            @SuppressWarnings("unchecked")
            List<Object> r = (List<Object>) driver.executeAsyncScript(
                    "var done = arguments[arguments.length - 1];"
                    + "requestAnimationFrame(function () { requestAnimationFrame(function () {"
                    + "  var box = document.getElementById('rows');"
                    + "  var ids = Array.from(box.querySelectorAll('.row[data-connection-id]'))"
                    + "    .sort(function (a, b) { return a.offsetTop - b.offsetTop; })"
                    + "    .map(function (e) { return e.getAttribute('data-connection-id'); });"
                    + "  var atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 1;"
                    + "  box.scrollTop += box.clientHeight;"
                    + "  done([ids, atEnd]);"
                    + "}); });");
            @SuppressWarnings("unchecked")
            List<Object> page = (List<Object>) r.get(0);
            for (Object id : page) {
                long v = Long.parseLong((String) id);
                if (seen.add(v)) {
                    ids.add(v);
                }
            }
            if ((Boolean) r.get(1)) {
                return ids;
            }
        }
        throw new AssertionError("the row list never reached its end");
    }

    @Test
    void everyConnectionHasOneRowAndNothingIsFetched() throws Exception {
        load("");
        List<Long> ids = allRowIds();
        assertEquals(jsonl.keySet(), Set.copyOf(ids), "one row per connection of the JSONL");
        assertEquals(jsonl.size(), ids.size());
        assertEquals(String.valueOf(jsonl.size()), js("return document.body.getAttribute('data-rows')"));
        Long dupes = (Long) js("var s = {}, d = 0; document.querySelectorAll('.row[data-connection-id]').forEach("
                + "function (e) { var k = e.getAttribute('data-connection-id'); if (s[k]) d++; s[k] = 1; }); return d;");
        assertEquals(0L, dupes, "no connection drawn twice");
        js("window.scrollTo(0, 0);");
        Files.write(OUT.resolve("overview.png"), driver.getScreenshotAs(OutputType.BYTES));
        assertNoConsoleErrors();
        assertNothingFetched();
        String csp = (String) js("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content");
        assertTrue(csp.startsWith("default-src 'none'"), csp);
    }

    @Test
    void clickingARowShowsItsLadderWithTheJsonlStates() throws Exception {
        load("");
        long id = jsonl.values().stream().filter(n -> n.get("close").asText().equals("reset"))
                .mapToLong(n -> n.get("id").asLong()).min().orElseThrow();
        js("document.getElementById('f-text').value = arguments[0];"
                + "document.getElementById('f-text').dispatchEvent(new Event('input'));", String.valueOf(id));
        WebElement row = new WebDriverWait(driver, WAIT).until(d ->
                d.findElement(By.cssSelector(".row[data-connection-id='" + id + "']")));
        row.click();
        WebElement svg = new WebDriverWait(driver, WAIT).until(d ->
                d.findElement(By.cssSelector("#ladder svg[data-connection-id='" + id + "']")));
        JsonNode c = jsonl.get(id);
        for (String side : List.of("client", "server")) {
            List<String> drawn = new ArrayList<>();
            for (WebElement t : svg.findElements(By.cssSelector("text[data-side='" + side + "']"))) {
                drawn.add(t.getAttribute("data-state"));
            }
            List<String> transitions = new ArrayList<>();
            c.get("sides").get(side).get("transitions").forEach(t -> transitions.add(t.get("state").asText()));
            assertFalse(drawn.isEmpty(), side + ": no state drawn");
            assertEquals(transitions.get(0), drawn.get(0), side + ": first state");
            assertEquals(c.get("sides").get(side).get("final_state").asText(), drawn.get(drawn.size() - 1), side + ": final state");
            assertTrue(isSubsequence(drawn, transitions), side + ": drawn " + drawn + " not in the order of " + transitions);
        }
        int packets = c.get("counts").get("client").get("packets").asInt() + c.get("counts").get("server").get("packets").asInt();
        assertEquals(packets, svg.findElements(By.cssSelector("g[data-segment]")).size(), "one arrow per segment");
        assertTrue(svg.getText().contains("reset: client RST"), svg.getText());
        // --format svg draws the same ladder (SvgLadderWriter follows report.js): the same texts in order
        Cli.Result svgFormat = Cli.run("-T", "svg", "--connection", String.valueOf(id), "-q",
                Path.of(System.getProperty("finwait.samples"), "busy.pcap").toString());
        assertEquals(0, svgFormat.code(), svgFormat::toString);
        @SuppressWarnings("unchecked")
        List<String> inPage = (List<String>) js("return Array.from(arguments[0].querySelectorAll('text')).map(t => t.textContent)", svg);
        @SuppressWarnings("unchecked")
        List<String> inFile = (List<String>) js("var d = new DOMParser().parseFromString(arguments[0], 'image/svg+xml');"
                + "return Array.from(d.querySelectorAll('text')).map(t => t.textContent)", svgFormat.out());
        assertFalse(inPage.isEmpty());
        assertEquals(inPage, inFile, "the page's ladder and --format svg");
        String download = driver.findElement(By.id("download-svg")).getAttribute("href");
        assertTrue(download.startsWith("blob:"), "Download SVG is the ladder as a blob: " + download);
        assertEquals("connection-" + id + ".svg", driver.findElement(By.id("download-svg")).getAttribute("download"));
        WebElement view = driver.findElement(By.id("connection"));
        Files.write(OUT.resolve("ladder.png"), view.getScreenshotAs(OutputType.BYTES));
        load("#connection-" + id);
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.cssSelector("#ladder svg[data-connection-id='" + id + "']")));
        assertNoConsoleErrors();
    }

    @Test
    void theWheelOverTheTimeAxisZoomsDraggingPansAndADoubleClickResets() {
        load("");
        WebElement axis = driver.findElement(By.id("tl-head"));
        js("arguments[0].scrollIntoView({block: 'center'});", axis);
        js("var r = arguments[0].querySelector('.c-lanes').getBoundingClientRect();"
                + "arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + r.width / 2,"
                + " clientY: r.top + 5, bubbles: true, cancelable: true}));", axis);
        String[] zoomed = ((String) js("return document.body.getAttribute('data-view')")).split(" ");
        long span = Long.parseLong(zoomed[1]) - Long.parseLong(zoomed[0]);
        // dragging the rows to the left moves the view later in time, by the same span
        WebElement rowsBox = driver.findElement(By.id("rows"));
        new Actions(driver).moveToElement(rowsBox, 300, 20).clickAndHold().moveByOffset(-150, 0).moveByOffset(-150, 0)
                .release().perform();
        String[] panned = ((String) js("return document.body.getAttribute('data-view')")).split(" ");
        assertTrue(Long.parseLong(panned[0]) > Long.parseLong(zoomed[0]), "panned later: " + String.join(" ", panned)
                + " after " + String.join(" ", zoomed));
        assertEquals(span, Long.parseLong(panned[1]) - Long.parseLong(panned[0]), 1, "the same span");
        js("arguments[0].dispatchEvent(new MouseEvent('dblclick', {bubbles: true}));", axis);
        String[] reset = ((String) js("return document.body.getAttribute('data-view')")).split(" ");
        long full = Long.parseLong(reset[1]) - Long.parseLong(reset[0]);
        assertTrue(span < full * 0.9, "zoomed in: " + span + " of " + full);
        assertNoConsoleErrors();
    }

    @Test
    void filtersChangeTheRows() {
        load("");
        long resets = jsonl.values().stream().filter(n -> n.get("close").asText().equals("reset")).count();
        assertTrue(resets > 0 && resets < jsonl.size(), "busy.pcap mixes resets and clean closes");
        new Select(driver.findElement(By.id("f-close"))).selectByValue("reset");
        assertEquals(String.valueOf(resets), js("return document.body.getAttribute('data-rows')"));
        List<Long> ids = allRowIds();
        assertEquals(resets, ids.size());
        for (long id : ids) {
            assertEquals("reset", jsonl.get(id).get("close").asText(), "row " + id);
        }
        new Select(driver.findElement(By.id("f-close"))).selectByValue("");
        new Select(driver.findElement(By.id("f-finding"))).selectByValue("p:reset");
        assertEquals(String.valueOf(jsonl.values().stream().filter(n -> n.get("resets").size() > 0).count()),
                js("return document.body.getAttribute('data-rows')"));
        new Select(driver.findElement(By.id("f-finding"))).selectByValue("");
        // busy.pcap's one finding (the diagnosis): the client's abortive closes, one per reset connection
        List<WebElement> findings = driver.findElements(By.cssSelector("#findings [data-finding-kind]"));
        assertEquals(List.of("abortive_close"), findings.stream().map(e -> e.getAttribute("data-finding-kind")).toList());
        new Select(driver.findElement(By.id("f-finding"))).selectByValue("f0");
        assertEquals(String.valueOf(resets), js("return document.body.getAttribute('data-rows')"), "the finding's connections");
        new Select(driver.findElement(By.id("f-finding"))).selectByValue("");
        new Select(driver.findElement(By.id("f-sort"))).selectByValue("duration");
        List<Long> byDuration = allRowIds();
        for (int i = 1; i < byDuration.size(); i++) {
            assertTrue(duration(byDuration.get(i - 1)) >= duration(byDuration.get(i)) - 1e-6, "sorted by duration at " + i);
        }
        assertNoConsoleErrors();
    }

    private double duration(long id) {
        JsonNode n = jsonl.get(id);
        return n.get("last_ts").asDouble() - n.get("first_ts").asDouble();
    }

    private static boolean isSubsequence(List<String> sub, List<String> all) {
        int j = 0;
        for (String s : all) {
            if (j < sub.size() && sub.get(j).equals(s)) {
                j++;
            }
        }
        return j == sub.size();
    }

    private void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertEquals(List.of(), errors, "console errors or warnings");
    }

    /** Chromium's network log: every request the page made must be the file itself (or data:/blob:). */
    private void assertNothingFetched() throws Exception {
        List<String> fetched = new ArrayList<>();
        int requests = 0;
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode m = JSON.readTree(e.getMessage()).path("message");
            if (m.path("method").asText().equals("Network.requestWillBeSent")) {
                requests++;
                String u = m.path("params").path("request").path("url").asText();
                if (!(u.startsWith("file:") || u.startsWith("data:") || u.startsWith("blob:") || u.equals("about:blank"))) {
                    fetched.add(u);
                }
            }
        }
        assertTrue(requests > 0, "the network log is recorded (the page itself is a request)");
        assertEquals(List.of(), fetched, "requests that left the page");
    }
}
