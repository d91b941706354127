package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The root written as literally as Yellow Paper Appendix D states it, for use as an oracle: keys unpacked to
 * one nibble per byte, every node built as fresh arrays, no caching. Slow and obviously shaped like the
 * definition; shares only the {@link Rlp} helpers (tested on their own) with the code under test.
 */
final class ReferenceTrie {
    private ReferenceTrie() {}

    static Hash root(Map<byte[], byte[]> entries) {
        List<byte[][]> j = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            if (e.getValue().length > 0) j.add(new byte[][] {nibbles(e.getKey()), e.getValue()});
        }
        if (j.isEmpty()) return Keccak.hashOf(Rlp.encodeString(new byte[0]));
        return Keccak.hashOf(c(j, 0));
    }

    /** c(J, i): the RLP of the node for the pairs J whose keys agree on their first i nibbles. */
    private static byte[] c(List<byte[][]> j, int i) {
        if (j.size() == 1) {
            byte[] key = j.get(0)[0];
            return Rlp.encodeList(Rlp.encodeString(hexPrefix(key, i, key.length, true)), Rlp.encodeString(j.get(0)[1]));
        }
        int shared = sharedLength(j, i);
        if (shared > i) {
            byte[] key = j.get(0)[0];
            return Rlp.encodeList(Rlp.encodeString(hexPrefix(key, i, shared, false)), n(j, shared));
        }
        byte[][] items = new byte[17][];
        byte[] value = new byte[0];
        for (int nibble = 0; nibble < 16; nibble++) {
            List<byte[][]> sub = new ArrayList<>();
            for (byte[][] pair : j) {
                if (pair[0].length > i && pair[0][i] == nibble) sub.add(pair);
            }
            items[nibble] = n(sub, i + 1);
        }
        for (byte[][] pair : j) if (pair[0].length == i) value = pair[1];
        items[16] = Rlp.encodeString(value);
        return Rlp.encodeList(items);
    }

    /** n(J, i): empty for no pairs, the node inline if its RLP is under 32 bytes, else its hash. */
    private static byte[] n(List<byte[][]> j, int i) {
        if (j.isEmpty()) return Rlp.encodeString(new byte[0]);
        byte[] node = c(j, i);
        return node.length < 32 ? node : Rlp.encodeString(Keccak.hash(node));
    }

    private static int sharedLength(List<byte[][]> j, int i) {
        int len = i;
        while (true) {
            for (byte[][] pair : j) {
                if (pair[0].length <= len || pair[0][len] != j.get(0)[0][len]) return len;
            }
            len++;
        }
    }

    private static byte[] hexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
        int n = to - from;
        int flag = (leaf ? 2 : 0) + (n % 2);
        byte[] out = new byte[n / 2 + 1];
        int o = 0;
        int k = from;
        if (n % 2 == 1) out[o++] = (byte) (flag * 16 + nibbles[k++]);
        else out[o++] = (byte) (flag * 16);
        while (k < to) {
            out[o++] = (byte) (nibbles[k] * 16 + nibbles[k + 1]);
            k += 2;
        }
        return out;
    }

    private static byte[] nibbles(byte[] key) {
        byte[] out = new byte[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            out[2 * i] = (byte) ((key[i] & 0xff) / 16);
            out[2 * i + 1] = (byte) ((key[i] & 0xff) % 16);
        }
        return out;
    }
}
