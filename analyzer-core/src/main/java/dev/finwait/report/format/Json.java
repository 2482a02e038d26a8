package dev.finwait.report.format;

/**
 * JSON strings for a page: besides JSON's own escapes, {@code <}, {@code >} and {@code &} become
 * {@code \u003c}... so that no text of a capture (an anomaly detail, a file name) can close the
 * {@code <script>} element that holds the data or open a comment in it; U+2028/2029 too, for
 * older JavaScript parsers.
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                        if (c > 0xFF) { // U+2028/2029: redo with all four digits
                            sb.setLength(sb.length() - 6);
                            sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                    .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
