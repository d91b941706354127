package dev.lanes.primitives.rlp;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RlpTest {
    private static String enc(RlpWriter w) {
        return Hex.encode(w.toByteArray());
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static RlpException rejects(String hex) {
        return assertThrows(RlpException.class, () -> Rlp.decode(Hex.decode(hex)), "accepted " + hex);
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    @Test void stringHeaders() {
        assertEquals("80", Hex.encode(Rlp.encodeBytes(new byte[0])));
        assertEquals("00", Hex.encode(Rlp.encodeBytes(new byte[] {0})));
        assertEquals("7f", Hex.encode(Rlp.encodeBytes(new byte[] {0x7f})));
        assertEquals("8180", Hex.encode(Rlp.encodeBytes(new byte[] {(byte) 0x80})));
        assertEquals("b7", Hex.encode(Rlp.encodeBytes(filled(55, 1))).substring(0, 2));
        assertEquals("b838", Hex.encode(Rlp.encodeBytes(filled(56, 1))).substring(0, 4));
        assertEquals("b90100", Hex.encode(Rlp.encodeBytes(filled(256, 1))).substring(0, 6));
        assertEquals("ba010000", Hex.encode(Rlp.encodeBytes(filled(65536, 1))).substring(0, 8));
        assertEquals("826162", enc(new RlpWriter().writeBytes(new byte[] {0x60, 0x61, 0x62, 0x63}, 1, 2)));
    }

    @Test void longScalars() {
        assertEquals("80", enc(new RlpWriter().writeLong(0)));
        assertEquals("01", enc(new RlpWriter().writeLong(1)));
        assertEquals("7f", enc(new RlpWriter().writeLong(127)));
        assertEquals("8180", enc(new RlpWriter().writeLong(128)));
        assertEquals("820100", enc(new RlpWriter().writeLong(256)));
        assertEquals("887fffffffffffffff", enc(new RlpWriter().writeLong(Long.MAX_VALUE)));
        assertEquals("888000000000000000", enc(new RlpWriter().writeLong(Long.MIN_VALUE)));
        assertEquals("88ffffffffffffffff", enc(new RlpWriter().writeLong(-1)));
    }

    @Test void uint256Scalars() {
        assertEquals("80", enc(new RlpWriter().writeUInt256(UInt256.ZERO)));
        assertEquals("0f", enc(new RlpWriter().writeUInt256(UInt256.of(15))));
        assertEquals("a0" + "ff".repeat(32), enc(new RlpWriter().writeUInt256(UInt256.MAX)));
        assertEquals("89010000000000000000", enc(new RlpWriter().writeUInt256(UInt256.parse("0x10000000000000000"))));
        assertEquals("88ffffffffffffffff", enc(new RlpWriter().writeUInt256(new UInt256(-1, 0, 0, 0))));
        assertEquals("9101" + "00".repeat(16), enc(new RlpWriter().writeUInt256(UInt256.parse("0x1" + "00".repeat(16)))));
    }

    @Test void bigIntegerScalars() {
        assertEquals("80", enc(new RlpWriter().writeBigInteger(BigInteger.ZERO)));
        assertEquals("8180", enc(new RlpWriter().writeBigInteger(BigInteger.valueOf(128))));
        // 2^64 - 1 has its top bit set: toByteArray's sign byte must not leak into the encoding.
        assertEquals("88ffffffffffffffff", enc(new RlpWriter().writeBigInteger(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))));
        assertEquals("a1010000000000000000000000000000000000000000000000000000000000000000",
                enc(new RlpWriter().writeBigInteger(BigInteger.ONE.shiftLeft(256))));
        assertThrows(IllegalArgumentException.class, () -> new RlpWriter().writeBigInteger(BigInteger.valueOf(-1)));
    }

    @Test void lists() {
        assertEquals("c0", enc(new RlpWriter().startList().endList()));
        // The set-theoretic representation of three, from the Yellow Paper's examples.
        RlpWriter w = new RlpWriter();
        w.startList().startList().endList().startList().startList().endList().endList()
                .startList().startList().endList().startList().startList().endList().endList().endList().endList();
        assertEquals("c7c0c1c0c3c0c1c0", enc(w));
        assertEquals("c88363617483646f67", Hex.encode(Rlp.encodeList(Rlp.encodeBytes("cat".getBytes()), Rlp.encodeBytes("dog".getBytes()))));
    }

    @Test void listHeaderSwitchesToLongFormAt56() {
        byte[] item = Rlp.encodeBytes(filled(54, 7)); // 55 bytes encoded
        assertEquals("f7", Hex.encode(Rlp.encodeList(item)).substring(0, 2));
        byte[] item56 = Rlp.encodeBytes(filled(55, 7)); // 56 bytes encoded
        assertEquals("f838", Hex.encode(Rlp.encodeList(item56)).substring(0, 4));
    }

    /** Long lists inside long lists: each endList() shifts a payload that already holds shifted payloads. */
    @Test void nestedLongListsBackPatchCorrectly() {
        RlpWriter w = new RlpWriter(4); // tiny, so the buffer also grows during the shifts
        w.startList().writeBytes(filled(60, 1)).startList().writeBytes(filled(300, 2)).startList()
                .writeBytes(filled(70_000, 3)).endList().writeLong(5).endList().writeBytes(new byte[0]).endList();
        Object ref = List.of(filled(60, 1), List.of(filled(300, 2), List.of(filled(70_000, 3)), new byte[] {5}), new byte[0]);
        assertArrayEquals(Reference.encode(ref), w.toByteArray());
    }

    @Test void writerMisuseIsAnError() {
        assertThrows(IllegalStateException.class, () -> new RlpWriter().endList());
        assertThrows(IllegalStateException.class, () -> new RlpWriter().startList().toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> new RlpWriter().writeBytes(new byte[2], 1, 2));
    }

    @Test void resetReusesTheWriter() {
        RlpWriter w = new RlpWriter();
        w.startList().writeLong(1);
        w.reset();
        assertEquals(0, w.size());
        assertEquals("c102", enc(w.startList().writeLong(2).endList()));
    }

    @Test void rawItemsAreCopiedAsIs() {
        byte[] inner = Rlp.encodeList(Rlp.encodeLong(1));
        assertEquals("c3c10102", enc(new RlpWriter().startList().writeRaw(inner).writeLong(2).endList()));
    }

    // ---- strict decoding -----------------------------------------------------------------------------------

    @Test void rejectsNonCanonicalForms() {
        assertTrue(rejects("8100").getMessage().contains("0x81"));
        rejects("817f");
        rejects("b800");                                     // leading zero in the length
        rejects("b80100");
        rejects("b837" + "01".repeat(55));                   // long form for a length below 56
        rejects("f837" + "01".repeat(55));
        rejects("f800");
        rejects("b90037" + "01".repeat(55));                 // zero-padded length field
        rejects("");                                         // nothing at all
        rejects("c1");                                       // list shorter than declared
        rejects("83616263" + "00");                          // trailing byte
        rejects("bf" + "ff".repeat(8) + "00");               // 8-byte length beyond any array
        rejects("bb7fffffff00");                             // 4-byte length far past the input
    }

    @Test void errorsNameTheOffset() {
        assertEquals(4, rejects("8361626300").offset());
        // The list's inner string claims 3 bytes but its list holds only 2: caught at the string, offset 1.
        RlpException e = rejects("c3836162" + "63");
        assertEquals(1, e.offset());
        assertTrue(e.getMessage().contains("enclosing list"), e.getMessage());
        assertTrue(rejects("c3c28100").getMessage().endsWith("at offset 2"));
    }

    @Test void scalarsRejectLeadingZeros() {
        assertEquals(0, new RlpReader(Hex.decode("80")).readLong());
        assertEquals(0x7f, new RlpReader(Hex.decode("7f")).readLong());
        assertEquals(-1, new RlpReader(Hex.decode("88ffffffffffffffff")).readLong());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("00")).readLong());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("820001")).readLong());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("89010000000000000000")).readLong());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("a1" + "01".repeat(33))).readUInt256());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("a0" + "00" + "ff".repeat(31))).readUInt256());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("820001")).readBigInteger());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("c0")).readLong());
        assertEquals(UInt256.MAX, new RlpReader(Hex.decode("a0" + "ff".repeat(32))).readUInt256());
        assertEquals(BigInteger.ONE.shiftLeft(256), new RlpReader(Hex.decode("a101" + "00".repeat(32))).readBigInteger());
    }

    @Test void streamingReader() {
        Hash h = Hash.fromHex("0x" + "ab".repeat(32));
        Address a = Address.fromHex("0x" + "cd".repeat(20));
        byte[] enc = new RlpWriter().startList().writeLong(9).writeBytes(h.toArray()).writeBytes(new byte[0])
                .writeBytes(a.toArray()).startList().writeLong(1).writeLong(2).endList().endList().toByteArray();
        RlpReader r = new RlpReader(enc);
        assertTrue(r.isList());
        int end = r.enterList();
        assertEquals(enc.length, end);
        assertEquals(9, r.readLong());
        assertEquals(h, r.readHash());
        assertTrue(r.isEmptyString());
        r.skip();
        assertEquals(a, r.readAddress());
        assertArrayEquals(Hex.decode("c20102"), r.readRaw());
        assertFalse(r.hasMore(end));
        r.leaveList(end);
        r.requireEnd();
    }

    @Test void streamingReaderCatchesMisuseAndLeftovers() {
        byte[] enc = Hex.decode("c20102");
        RlpReader r = new RlpReader(enc);
        int end = r.enterList();
        r.readLong();
        assertThrows(RlpException.class, () -> r.leaveList(end)); // one item unread
        assertThrows(IllegalStateException.class, () -> r.leaveList(end + 1));
        RlpReader r2 = new RlpReader(enc);
        int end2 = r2.enterList();
        r2.skip();
        r2.skip();
        assertThrows(RlpException.class, r2::readBytes);           // nothing left in this list
        r2.leaveList(end2);
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("c0")).readBytes());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("80")).enterList());
        assertThrows(RlpException.class, () -> new RlpReader(Hex.decode("8401020304")).readAddress());
    }

    @Test void readerOverASlice() {
        byte[] buf = Hex.decode("ffff83616263ffff");
        RlpReader r = new RlpReader(buf, 2, 4);
        assertArrayEquals("abc".getBytes(), r.readBytes());
        r.requireEnd();
        RlpException e = assertThrows(RlpException.class, () -> new RlpReader(buf, 2, 3).readBytes());
        assertEquals(2, e.offset());
    }

    @Test void treeDecodingLimitsDepthButTheReaderDoesNot() {
        int depth = Rlp.MAX_TREE_DEPTH + 1;
        RlpWriter w = new RlpWriter();
        for (int i = 0; i < depth; i++) w.startList();
        for (int i = 0; i < depth; i++) w.endList();
        byte[] enc = w.toByteArray();
        assertTrue(assertThrows(RlpException.class, () -> Rlp.decode(enc)).getMessage().contains("nested"));
        RlpReader r = new RlpReader(enc);
        int[] ends = new int[depth];
        for (int i = 0; i < depth; i++) ends[i] = r.enterList();
        for (int i = depth - 1; i >= 0; i--) r.leaveList(ends[i]);
        r.requireEnd();
    }

    // ---- random round trips ----------------------------------------------------------------------------------

    /** Random trees: the writer must agree with the reference encoder, and decoding must give the tree back. */
    @Test void randomTreesRoundTrip() {
        Random rnd = new Random(20240601L);
        for (int i = 0; i < 3000; i++) {
            Object tree = randomTree(rnd, 0);
            byte[] expected = Reference.encode(tree);
            RlpWriter w = new RlpWriter(1 + rnd.nextInt(32));
            writeTree(w, tree);
            byte[] actual = w.toByteArray();
            assertArrayEquals(expected, actual, "tree " + i);
            assertEquals(toItem(tree), Rlp.decode(actual), "tree " + i);
            assertArrayEquals(actual, Rlp.encode(Rlp.decode(actual)));
        }
    }

    @Test void randomScalarsRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long v = rnd.nextLong() >>> rnd.nextInt(64);
            byte[] enc = new RlpWriter().writeLong(v).toByteArray();
            assertEquals(v, new RlpReader(enc).readLong());
            BigInteger big = new BigInteger(256, rnd).shiftRight(rnd.nextInt(256));
            UInt256 u = UInt256.fromBigInteger(big);
            byte[] viaU = new RlpWriter().writeUInt256(u).toByteArray();
            assertArrayEquals(new RlpWriter().writeBigInteger(big).toByteArray(), viaU, big.toString(16));
            assertEquals(u, new RlpReader(viaU).readUInt256());
            assertEquals(big, new RlpReader(viaU).readBigInteger());
        }
    }

    /**
     * Canonical decoding makes encoding a bijection, so any corrupted input the decoder accepts must re-encode to
     * exactly itself; anything else must be an RlpException (never an index or arithmetic error).
     */
    @Test void corruptedEncodingsAreRejectedOrCanonical() {
        Random rnd = new Random(99);
        for (int i = 0; i < 20_000; i++) {
            byte[] enc = Reference.encode(randomTree(rnd, 0));
            byte[] bad = switch (rnd.nextInt(3)) {
                case 0 -> { byte[] b = enc.clone(); b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256); yield b; }
                case 1 -> Arrays.copyOf(enc, rnd.nextInt(enc.length + 1));
                default -> { byte[] b = Arrays.copyOf(enc, enc.length + 1); b[enc.length] = (byte) rnd.nextInt(256); yield b; }
            };
            RlpItem decoded;
            try {
                decoded = Rlp.decode(bad);
            } catch (RlpException expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= bad.length);
                continue;
            }
            assertArrayEquals(bad, Rlp.encode(decoded), "accepted a non-canonical " + Hex.prefixed(bad));
        }
    }

    /** A tree is a byte[] or a List of trees. Lengths cluster round the 55/56 header boundary. */
    private static Object randomTree(Random rnd, int depth) {
        if (depth < 4 && rnd.nextInt(3) == 0) {
            int n = rnd.nextInt(6);
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < n; i++) items.add(randomTree(rnd, depth + 1));
            return items;
        }
        int len = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> rnd.nextInt(4);
            case 3 -> 54 + rnd.nextInt(4);
            case 4 -> rnd.nextInt(60);
            default -> rnd.nextInt(400);
        };
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        if (len == 1 && rnd.nextBoolean()) b[0] &= 0x7f;
        return b;
    }

    private static void writeTree(RlpWriter w, Object tree) {
        if (tree instanceof byte[] b) {
            w.writeBytes(b);
        } else {
            w.startList();
            for (Object child : (List<?>) tree) writeTree(w, child);
            w.endList();
        }
    }

    private static RlpItem toItem(Object tree) {
        if (tree instanceof byte[] b) return RlpItem.of(b);
        List<RlpItem> items = new ArrayList<>();
        for (Object child : (List<?>) tree) items.add(toItem(child));
        return RlpItem.list(items);
    }

    /** The Yellow Paper's definition written as directly as possible, as an oracle for the writer. */
    static final class Reference {
        static byte[] encode(Object tree) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (tree instanceof byte[] b) {
                if (b.length == 1 && (b[0] & 0xff) < 0x80) {
                    out.write(b[0]);
                } else {
                    out.writeBytes(header(0x80, b.length));
                    out.writeBytes(b);
                }
            } else {
                ByteArrayOutputStream payload = new ByteArrayOutputStream();
                for (Object child : (List<?>) tree) payload.writeBytes(encode(child));
                out.writeBytes(header(0xc0, payload.size()));
                out.writeBytes(payload.toByteArray());
            }
            return out.toByteArray();
        }

        private static byte[] header(int base, int len) {
            if (len < 56) return new byte[] {(byte) (base + len)};
            byte[] be = BigInteger.valueOf(len).toByteArray();
            if (be[0] == 0) be = Arrays.copyOfRange(be, 1, be.length);
            byte[] h = new byte[1 + be.length];
            h[0] = (byte) (base + 55 + be.length);
            System.arraycopy(be, 0, h, 1, be.length);
            return h;
        }
    }
}
