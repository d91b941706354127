package dev.lanes.primitives;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;
import org.junit.jupiter.api.Test;

/** Our Keccak-256 against published digests and against BouncyCastle as an independent oracle. */
class KeccakTest {
    private static byte[] oracle(byte[] data, int off, int len) {
        Digest256 d = new Digest256();
        d.update(data, off, len);
        return d.digest();
    }

    private static String hex(byte[] data) {
        return Hex.encode(Keccak.hash(data));
    }

    @Test void publishedDigests() {
        assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", hex(new byte[0]));
        assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
                hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
                hex("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Hash.EMPTY_TRIE, Keccak.hashOf(new byte[] {(byte) 0x80}));
        assertEquals(Hash.EMPTY_LIST, Keccak.hashOf(new byte[] {(byte) 0xc0}));
    }

    /** Every length up to a few blocks, so each padding position (incl. 135/136/137 and 271/272/273) is hit. */
    @Test void everyLengthAcrossRateBoundaries() {
        Random rnd = new Random(0x6b656363616bL);
        byte[] data = new byte[3 * 136 + 9];
        rnd.nextBytes(data);
        for (int len = 0; len <= data.length; len++) {
            assertArrayEquals(oracle(data, 0, len), Keccak.hash(data, 0, len), "length " + len);
        }
    }

    /** The padding byte 0x01 and the final 0x80 share byte 135 when 135 bytes remain; all-0xff input shows a mix-up. */
    @Test void saturatedInputAroundTheRate() {
        for (int len : new int[] {134, 135, 136, 137, 271, 272, 273}) {
            byte[] data = new byte[len];
            Arrays.fill(data, (byte) 0xff);
            assertArrayEquals(oracle(data, 0, len), Keccak.hash(data), "length " + len);
        }
    }

    @Test void randomInputsMatchBouncyCastle() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int len = rnd.nextInt(i < 1000 ? 300 : 5000);
            int off = rnd.nextInt(16);
            byte[] data = new byte[off + len + rnd.nextInt(16)];
            rnd.nextBytes(data);
            assertArrayEquals(oracle(data, off, len), Keccak.hash(data, off, len), "len " + len + " off " + off);
        }
    }

    @Test void callerBufferIsWrittenOnlyInItsWindow() {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[40];
        Arrays.fill(out, (byte) 0x5a);
        Keccak.hash(data, 0, data.length, out, 5);
        assertArrayEquals(Keccak.hash(data), Arrays.copyOfRange(out, 5, 37));
        for (int i : new int[] {0, 1, 2, 3, 4, 37, 38, 39}) assertEquals((byte) 0x5a, out[i], "byte " + i);
    }

    @Test void rejectsOutOfRangeArguments() {
        byte[] data = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, 0, 10, new byte[40], 9));
    }
}
