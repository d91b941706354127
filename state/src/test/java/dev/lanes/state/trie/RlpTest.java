package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.primitives.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The encoding cases of Yellow Paper Appendix B that trie nodes can produce. */
class RlpTest {
    @Test
    void strings() {
        assertEquals("80", hex(Rlp.encodeString(new byte[0])));
        assertEquals("00", hex(Rlp.encodeString(new byte[] {0})));
        assertEquals("7f", hex(Rlp.encodeString(new byte[] {0x7f})));
        assertEquals("8180", hex(Rlp.encodeString(new byte[] {(byte) 0x80})));
        assertEquals("83646f67", hex(Rlp.encodeString(utf8("dog"))));
        byte[] s55 = new byte[55];
        assertEquals("b7", hex(Rlp.encodeString(s55)).substring(0, 2));
        byte[] s56 = new byte[56];
        assertEquals("b838", hex(Rlp.encodeString(s56)).substring(0, 4));
        assertEquals(58, Rlp.encodeString(s56).length);
        byte[] s1024 = new byte[1024];
        assertEquals("b90400", hex(Rlp.encodeString(s1024)).substring(0, 6));
        assertEquals(1027, Rlp.stringLength(s1024));
    }

    @Test
    void scalars() {
        assertEquals("80", hex(Rlp.encodeScalar(0)));
        assertEquals("01", hex(Rlp.encodeScalar(1)));
        assertEquals("7f", hex(Rlp.encodeScalar(127)));
        assertEquals("8180", hex(Rlp.encodeScalar(128)));
        assertEquals("820400", hex(Rlp.encodeScalar(1024)));
        assertEquals("887fffffffffffffff", hex(Rlp.encodeScalar(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> Rlp.encodeScalar(-1));
    }

    @Test
    void lists() {
        assertEquals("c0", hex(Rlp.encodeList()));
        assertEquals("c88363617483646f67", hex(Rlp.encodeList(Rlp.encodeString(utf8("cat")), Rlp.encodeString(utf8("dog")))));
        // [ [], [[]], [ [], [[]] ] ]: the set-theoretic three.
        byte[] empty = Rlp.encodeList();
        assertEquals("c7c0c1c0c3c0c1c0", hex(Rlp.encodeList(empty, Rlp.encodeList(empty), Rlp.encodeList(empty, Rlp.encodeList(empty)))));
        byte[] long56 = Rlp.encodeList(Rlp.encodeString(new byte[54]), Rlp.encodeString(new byte[0]));
        assertEquals("f838", hex(long56).substring(0, 4));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return Hex.encode(b);
    }
}
