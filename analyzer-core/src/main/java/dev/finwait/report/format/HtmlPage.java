package dev.finwait.report.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page around the data: {@code html/report.html} with {@code report.css} and {@code report.js}
 * put in place. The Content-Security-Policy allows no fetch of any kind and only the page's own
 * script (by its SHA-256), so the page is self-contained by construction and the data blobs can
 * never run as script.
 */
final class HtmlPage {
    private static final String CONNECTIONS = "<!--CONNECTIONS-->";
    private static final String SUMMARY = "<!--SUMMARY-->";
    private static final String[] PARTS = build();

    private HtmlPage() {
    }

    /** Everything up to the connections array. */
    static String head() {
        return PARTS[0];
    }

    /** From the connections array to the summary object. */
    static String between() {
        return PARTS[1];
    }

    /** After the summary object. */
    static String tail() {
        return PARTS[2];
    }

    /** A file of the page (html/NAME) as text. */
    static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream("html/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource html/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] build() {
        String js = resource("report.js");
        String page = resource("report.html")
                .replace("<!--CSS-->", resource("report.css"))
                .replace("<!--SCRIPT-HASH-->", sha256(js))
                .replace("<!--SCRIPT-->", js);
        int c = page.indexOf(CONNECTIONS);
        int s = page.indexOf(SUMMARY);
        return new String[] {page.substring(0, c), page.substring(c + CONNECTIONS.length(), s),
                page.substring(s + SUMMARY.length())};
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
