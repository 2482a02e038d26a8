package dev.finwait.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How a big HTML report behaves in headless Chromium (bench/html-bench.sh runs it; not a test):
 * the time from navigation to the page's data-ready mark, frame times while the timeline scrolls
 * (600 frames, 5 rows a frame, the rows redrawn as they would be for a person's scrolling), the time
 * a filter takes, and the time to open a ladder.
 *
 * <pre>java -cp ... dev.finwait.cli.HtmlPageBench report.html</pre>
 */
final class HtmlPageBench {
    private HtmlPageBench() {
    }

    /** The README's pictures: the top of the page, and the timeline with a ladder open. */
    private static void screenshots(Path page, Path dir) throws Exception {
        Files.createDirectories(dir);
        ChromeDriver d = Chromium.start(1280, 1000);
        try {
            d.get(page.toUri().toString());
            new WebDriverWait(d, java.time.Duration.ofSeconds(60)).until(x -> "true".equals(
                    d.executeScript("return document.body.getAttribute('data-ready')")));
            Files.write(dir.resolve("html-report-overview.png"), d.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            d.executeScript("var s = document.getElementById('f-finding'); s.value = 'p:half_close'; s.dispatchEvent(new Event('change'));");
            d.executeScript("document.getElementById('timeline').scrollIntoView()");
            Files.write(dir.resolve("html-report-timeline.png"), d.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            d.findElement(By.cssSelector(".row[data-connection-id]")).click();
            new WebDriverWait(d, java.time.Duration.ofSeconds(30)).until(x -> !x.findElements(By.cssSelector("#ladder svg")).isEmpty());
            Files.write(dir.resolve("html-report-ladder.png"),
                    d.findElement(By.cssSelector("#ladder svg")).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } finally {
            d.quit();
        }
    }

    public static void main(String[] args) throws Exception {
        Path page = Path.of(args[0]).toAbsolutePath();
        if (args.length == 3 && args[1].equals("--screenshots")) {
            screenshots(page, Path.of(args[2]));
            return;
        }
        System.out.printf("page: %s, %.1f MB%n", page, Files.size(page) / 1e6);
        ChromeDriver d = Chromium.start(1400, 1000);
        try {
            for (int run = 1; run <= 3; run++) {
                d.get("about:blank");
                long t0 = System.nanoTime();
                d.get(page.toUri().toString());
                new WebDriverWait(d, java.time.Duration.ofSeconds(120)).until(x -> "true".equals(
                        d.executeScript("return document.body && document.body.getAttribute('data-ready')")));
                long wall = (System.nanoTime() - t0) / 1_000_000;
                Object ready = d.executeScript("return document.body.getAttribute('data-ready-ms')");
                Object rows = d.executeScript("return document.body.getAttribute('data-rows')");
                System.out.printf("load %d: %d ms until ready (page's own mark: %s ms), %s rows%n", run, wall, ready, rows);
            }
            @SuppressWarnings("unchecked")
            List<Object> frames = (List<Object>) d.executeAsyncScript(
                    "var done = arguments[arguments.length - 1], box = document.getElementById('rows'), t = [], last = 0, n = 0;"
                    + "box.scrollIntoView();"
                    + "function step(now) { if (last) t.push(now - last); last = now;"
                    + "  box.scrollTop += 110; if (++n < 600) requestAnimationFrame(step); else done(t); }"
                    + "requestAnimationFrame(step);");
            List<Double> ms = new ArrayList<>();
            frames.forEach(f -> ms.add(((Number) f).doubleValue()));
            Collections.sort(ms);
            System.out.printf("scroll: %d frames, median %.1f ms, p95 %.1f ms, max %.1f ms between frames%n", ms.size(),
                    ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.95)), ms.get(ms.size() - 1));
            long f0 = System.nanoTime();
            d.executeScript("var s = document.getElementById('f-close'); s.value = 'reset'; s.dispatchEvent(new Event('change'));");
            System.out.printf("filter close=reset: %d ms, %s rows%n", (System.nanoTime() - f0) / 1_000_000,
                    d.executeScript("return document.body.getAttribute('data-rows')"));
            String id = d.findElement(By.cssSelector(".row[data-connection-id]")).getAttribute("data-connection-id");
            long c0 = System.nanoTime();
            d.findElement(By.cssSelector(".row[data-connection-id='" + id + "']")).click();
            new WebDriverWait(d, java.time.Duration.ofSeconds(30))
                    .until(x -> !x.findElements(By.cssSelector("#ladder svg[data-connection-id='" + id + "']")).isEmpty());
            System.out.printf("open the ladder of #%s: %d ms%n", id, (System.nanoTime() - c0) / 1_000_000);
        } finally {
            d.quit();
        }
    }
}
