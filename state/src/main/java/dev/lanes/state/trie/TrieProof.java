package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpException;
import dev.lanes.primitives.rlp.RlpItem;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a Merkle proof (a list of node encodings, as {@link MerklePatriciaTrie#proof} and EIP-1186 give them)
 * against a root, independently of how the trie was built: it decodes the nodes, follows the key's nibbles
 * from the root, and requires every hashed reference on the way to be the Keccak-256 of a node in the proof.
 * Clients verify {@code eth_getProof} answers this way; the tests use it as the oracle for the prover.
 */
public final class TrieProof {
    private TrieProof() {}

    /**
     * The value the proof shows under {@code key}, or null when it proves that the key is absent.
     *
     * @throws IllegalArgumentException if the proof does not connect {@code root} to a conclusion about the key
     */
    public static byte[] verify(Hash root, byte[] key, List<byte[]> proof) {
        if (root.equals(Hash.EMPTY_TRIE) && proof.isEmpty()) return null;
        Map<Hash, byte[]> byHash = new HashMap<>();
        for (byte[] node : proof) byHash.put(Keccak.hashOf(node), node);
        byte[] nibbles = new byte[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            nibbles[2 * i] = (byte) ((key[i] >> 4) & 0xf);
            nibbles[2 * i + 1] = (byte) (key[i] & 0xf);
        }
        RlpItem node = resolve(byHash, RlpItem.of(root.toArray()));
        int pos = 0;
        try {
            for (int steps = 0; steps <= nibbles.length + 1; steps++) {
                if (node == null) return null;
                List<RlpItem> items = node.items();
                if (items.size() == 17) {
                    if (pos == nibbles.length) {
                        byte[] v = items.get(16).bytes();
                        return v.length == 0 ? null : v;
                    }
                    RlpItem child = items.get(nibbles[pos++]);
                    if (!child.isList() && child.bytes().length == 0) return null;
                    node = resolve(byHash, child);
                } else if (items.size() == 2) {
                    byte[] path = items.get(0).bytes();
                    if (path.length == 0) throw new IllegalArgumentException("empty hex-prefix path");
                    int flag = (path[0] & 0xff) >> 4;
                    if (flag > 3) throw new IllegalArgumentException("bad hex-prefix flag " + flag);
                    boolean leaf = flag >= 2;
                    byte[] rest = new byte[path.length * 2 - ((flag & 1) == 1 ? 1 : 2)];
                    int k = 0;
                    if ((flag & 1) == 1) rest[k++] = (byte) (path[0] & 0xf);
                    for (int i = 1; i < path.length; i++) {
                        rest[k++] = (byte) ((path[i] >> 4) & 0xf);
                        rest[k++] = (byte) (path[i] & 0xf);
                    }
                    boolean matches = pos + rest.length <= nibbles.length
                            && Arrays.equals(rest, 0, rest.length, nibbles, pos, pos + rest.length);
                    if (leaf) return matches && pos + rest.length == nibbles.length ? items.get(1).bytes() : null;
                    if (!matches) return null;
                    pos += rest.length;
                    node = resolve(byHash, items.get(1));
                } else {
                    throw new IllegalArgumentException("a node has " + items.size() + " items");
                }
            }
        } catch (IllegalStateException | RlpException e) {
            throw new IllegalArgumentException("malformed proof node: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("proof path longer than the key");
    }

    /** The node a reference stands for: a 32-byte hash looked up in the proof, or an embedded node. */
    private static RlpItem resolve(Map<Hash, byte[]> byHash, RlpItem ref) {
        if (ref.isList()) return ref; // embedded
        byte[] r = ref.bytes();
        if (r.length != Hash.LENGTH) throw new IllegalArgumentException("reference of " + r.length + " bytes");
        byte[] enc = byHash.get(Hash.wrap(r));
        if (enc == null) throw new IllegalArgumentException("proof lacks node " + Hash.wrap(r));
        return Rlp.decode(enc);
    }
}
