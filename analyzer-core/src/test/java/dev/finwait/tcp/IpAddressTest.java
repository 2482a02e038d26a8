package dev.finwait.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IpAddress parses and prints addresses itself (it used Guava's InetAddresses, the one reason the
 * library pulled in 3 MB of Guava); Guava stays a test dependency as the oracle: on every input the
 * two must agree, accepted or rejected, address for address and character for character.
 */
class IpAddressTest {

    /** What Guava made of the text: the address as IpAddress would print it, or null when rejected. */
    private static String guava(String text) {
        try {
            byte[] raw = InetAddresses.forString(text).getAddress();
            return InetAddresses.toAddrString(InetAddress.getByAddress(raw));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }

    private static String ours(String text) {
        try {
            return IpAddress.parse(text).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1", "0.0.0.0, 0.0.0.0", "255.255.255.255, 255.255.255.255",
        "2001:db8::1, 2001:db8::1", "2001:DB8:0:0:0:0:0:1, 2001:db8::1", "::, ::", "::1, ::1",
        "1::, 1::", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8::1:0:0:1, 2001:db8::1:0:0:1", "::ffff:192.0.2.1, 192.0.2.1", "::192.0.2.1, ::c000:201",
        "fe80::1%eth0, fe80::1", "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0", "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    })
    void parsesAndPrintsCanonically(String text, String printed) {
        assertEquals(printed, IpAddress.parse(text).toString());
        assertEquals(guava(text), printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
        "a.b.c.d", "1.2.3.4%eth0", ":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        ":1::2", "1::2:", "12345::", "g::1", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "%eth0",
        "[::1]", "localhost", "example.org"})
    void rejectsWhatIsNotAnAddress(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(text));
        assertEquals(null, guava(text), "Guava accepts " + text);
    }

    @Property(tries = 3000)
    void anyAddressPrintsAsGuavaPrintsItAndParsesBack(@ForAll("addresses") byte[] raw) throws UnknownHostException {
        IpAddress a = raw.length == 4 ? IpAddress.ipv4(raw, 0) : IpAddress.ipv6(raw, 0);
        String printed = a.toString();
        assertEquals(InetAddresses.toAddrString(InetAddress.getByAddress(raw)), printed);
        assertEquals(printed, IpAddress.parse(printed).toString());
    }

    /**
     * Guava and we differ on purpose only in the zone after '%': Guava has rules of its own (it takes
     * {@code fe80::1%eth0} but not {@code ::%ffff}); ours is an interface name or number (letters,
     * digits, '_', '-'), ignored when valid, and any other zone is rejected. So text with a zone is
     * judged as the same text without it, or rejected.
     */
    @Property(tries = 5000)
    void anyAddressLikeTextIsJudgedAsGuavaJudgesIt(@ForAll("addressLike") String text) {
        int percent = text.indexOf('%');
        if (percent < 0) {
            assertEquals(guava(text), ours(text), () -> "'" + text + "'");
        } else if (text.substring(percent + 1).matches("[A-Za-z0-9_-]+") && text.indexOf(':') >= 0) {
            assertEquals(ours(text.substring(0, percent)), ours(text), () -> "'" + text + "'");
        } else {
            assertEquals(null, ours(text), () -> "'" + text + "'");
        }
    }

    @Provide
    Arbitrary<byte[]> addresses() {
        // Zero runs matter for "::": groups are often zero, sometimes 0xffff (IPv4-mapped).
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0xFFFF)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 0xFFFF)));
        Arbitrary<byte[]> v6 = group.list().ofSize(8).map(gs -> {
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[2 * i] = (byte) (gs.get(i) >> 8);
                b[2 * i + 1] = (byte) (int) gs.get(i);
            }
            return b;
        });
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<String> addressLike() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of(":", "::", ".", "%", "0", "00", "1", "255", "256", "ffff", "FFFF", "12345", "abcd", "g",
                        "1.2.3.4", "192.0.2.1", "eth0", " "),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(5));
        Arbitrary<String> tokens = token.list().ofMinSize(1).ofMaxSize(17).map(l -> String.join("", l));
        Arbitrary<String> grouped = Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(0).ofMaxLength(4)
                .list().ofMinSize(2).ofMaxSize(10).map(l -> String.join(":", l));
        Arbitrary<String> dotted = Arbitraries.integers().between(0, 300).list().ofMinSize(3).ofMaxSize(5)
                .map(l -> String.join(".", l.stream().map(String::valueOf).toList()));
        return Arbitraries.oneOf(tokens, grouped, dotted,
                net.jqwik.api.Combinators.combine(grouped, dotted).as((g, d) -> g + ":" + d));
    }
}
