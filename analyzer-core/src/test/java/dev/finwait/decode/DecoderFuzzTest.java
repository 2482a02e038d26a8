package dev.finwait.decode;

import static dev.finwait.decode.Packets.concat;
import static dev.finwait.decode.Packets.ethernet;
import static dev.finwait.decode.Packets.ipv4;
import static dev.finwait.decode.Packets.ipv6;
import static dev.finwait.decode.Packets.tcp;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.finwait.capture.Frame;
import dev.finwait.tcp.TcpFlags;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random byte mutations and cuts of valid frames never make the decoder throw. */
class DecoderFuzzTest {
    private static final byte[] OPTS = {2, 4, 5, (byte) 0xB4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0};

    @Test
    void mutatedFramesNeverThrow() {
        byte[] t = tcp(1, 2, 3, 4, TcpFlags.SYN, 5, OPTS, new byte[20]);
        List<Frame> seeds = List.of(
                Packets.frame(1, ethernet(0x0800, ipv4(t))),
                Packets.frame(1, ethernet(0x8100, concat(new byte[] {0, 1, (byte) 0x86, (byte) 0xDD}, ipv6(t)))),
                Packets.frame(1, ethernet(0x8847, concat(new byte[] {0, 0, 1, 64}, ipv4(t)))),
                Packets.frame(113, concat(new byte[14], new byte[] {8, 0}, ipv4(t))),
                Packets.frame(276, concat(new byte[] {(byte) 0x86, (byte) 0xDD}, new byte[18], ipv6(t))),
                Packets.frame(0, concat(new byte[] {2, 0, 0, 0}, ipv4(t))),
                Packets.frame(239, concat(new byte[] {2, 0, 0, 0}, new byte[] {(byte) (4 + ipv4(t).length), 0, 9, 0}, ipv4(t))),
                Packets.frame(229, ipv6(0, new byte[] {6, 0, 0, 0, 0, 0, 0, 0}, t)),
                Packets.frame(258, concat(new byte[] {16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0}, ipv4(t))),
                Packets.frame(9, concat(new byte[] {(byte) 0xFF, 3, 0, 0x21}, ipv4(t))),
                Packets.frame(228, ipv4(47, new byte[0], 0, concat(new byte[] {0x30, 0, 8, 0}, new byte[8], ipv4(4, new byte[0], 0, ipv4(t))))));
        Random random = new Random(20261124);
        Decoder decoder = new Decoder(true);
        for (int round = 0; round < 50_000; round++) {
            Frame seed = seeds.get(round % seeds.size());
            byte[] bytes = seed.data().clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            int captured = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            int original = random.nextInt(4) == 0 ? random.nextInt(70_000) : bytes.length;
            Frame f = new Frame(round, 0, seed.linkType(), bytes, 0, captured, original, 0);
            assertNotNull(decoder.decode(f), () -> "frame " + java.util.HexFormat.of().formatHex(bytes));
        }
    }
}
