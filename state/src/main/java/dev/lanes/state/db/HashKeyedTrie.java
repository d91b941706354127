package dev.lanes.state.db;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.state.db.CowTrie.Branch;
import dev.lanes.state.db.CowTrie.Ext;
import dev.lanes.state.db.CowTrie.Leaf;
import dev.lanes.state.db.CowTrie.Node;
import dev.lanes.state.trie.NodeEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiConsumer;

/**
 * A Merkle Patricia Trie stored the standard way, as geth's hash scheme does: every node's RLP under its Keccak-256
 * hash in some key-value store. The baseline that {@code lanes bench store} runs on RocksDB against
 * {@link LanesDb}: it shares {@link CowTrie} (the same update, collapse and parallel hashing code), so the two stores
 * differ only in how nodes are found and written. Keys are 32-byte hashes (secure tries).
 */
public final class HashKeyedTrie {
    /** Node encodings by hash; must allow concurrent calls. */
    public interface NodeReader {
        byte[] get(byte[] hash);
    }

    private final CowTrie trie;
    private final ThreadLocal<NodeEncoder> encoders = ThreadLocal.withInitial(NodeEncoder::new);

    public HashKeyedTrie(NodeReader reader, Hash root) {
        CowTrie.Source source = (ptr, ref, path, depth) -> decode(ref.length < Hash.LENGTH ? ref : read(reader, ref), path, depth);
        boolean empty = root.equals(Hash.EMPTY_TRIE);
        trie = new CowTrie(source, 0, empty ? null : root.toArray(), CowTrie.NO_SEGMENT);
        trie.keepEncodings = true;
    }

    private static byte[] read(NodeReader reader, byte[] hash) {
        byte[] enc = reader.get(hash);
        if (enc == null) throw new CorruptStoreException("missing trie node " + Hash.wrap(hash));
        return enc;
    }

    /** The value under {@code hashedKey}, or null. */
    public byte[] get(byte[] hashedKey) {
        Leaf l = trie.get(hashedKey);
        return l == null ? null : l.value;
    }

    /** Sets values (an empty value removes the key); the root's subtries are updated in parallel when it pays. */
    public void apply(List<byte[]> hashedKeys, List<byte[]> values, ForkJoinPool pool) {
        List<Leaf> puts = new ArrayList<>(hashedKeys.size());
        List<byte[]> dels = new ArrayList<>();
        for (int i = 0; i < hashedKeys.size(); i++) {
            byte[] v = values.get(i);
            if (v == null || v.length == 0) dels.add(hashedKeys.get(i));
            else puts.add(new Leaf(hashedKeys.get(i), 0, v));
        }
        trie.applyParallel(puts, dels, pool);
        trie.removed.clear();
    }

    public Hash hash(ForkJoinPool pool) {
        return trie.hashParallel(pool, encoders);
    }

    /** Hands every new node (hash, RLP) to {@code put}; {@link #hash} must have run. Keeps the top levels loaded. */
    public void write(BiConsumer<byte[], byte[]> put) {
        trie.write(n -> {
            if (n.enc.length >= Hash.LENGTH) put.accept(n.ref, n.enc);
            return 0;
        });
        byte[] rootRef = trie.rootRef();
        // A root shorter than a hash is still looked up by its hash.
        if (rootRef != null && rootRef.length < Hash.LENGTH) put.accept(Keccak.hash(rootRef), rootRef);
        trie.trim(3);
    }

    /** Decodes one node's RLP; {@code path}'s first {@code depth} nibbles lead to it. */
    static Node decode(byte[] enc, byte[] path, int depth) {
        int[] items = new int[34]; // (offset, length) of each item's whole encoding
        int n;
        try {
            int[] h = header(enc, 0);
            if (h[2] != 1 || h[0] + h[1] != enc.length) throw new CorruptStoreException("trie node is not one RLP list");
            n = 0;
            for (int p = h[0]; p < enc.length; ) {
                int[] ih = header(enc, p);
                if (n == 17) throw new CorruptStoreException("trie node with too many items");
                items[2 * n] = p;
                items[2 * n + 1] = ih[0] - p + ih[1];
                p = ih[0] + ih[1];
                n++;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new CorruptStoreException("truncated trie node");
        }
        if (n == 17) {
            Branch b = new Branch();
            for (int i = 0; i < 16; i++) {
                int off = items[2 * i], len = items[2 * i + 1];
                if (len == 1 && (enc[off] & 0xff) == 0x80) continue;
                b.kidRef[i] = (enc[off] & 0xff) == 0xa0 && len == 33 ? Arrays.copyOfRange(enc, off + 1, off + 33) : Arrays.copyOfRange(enc, off, off + len);
            }
            return b;
        }
        if (n != 2) throw new CorruptStoreException("trie node with " + n + " items");
        byte[] hp = payload(enc, items[0], items[1]);
        int flag = (hp[0] & 0xff) >> 4;
        boolean odd = (flag & 1) == 1;
        int nibbles = hp.length * 2 - (odd ? 1 : 2);
        byte[] key = path.clone();
        int at = depth;
        if (odd) CowTrie.setNibble(key, at++, hp[0] & 0xf);
        for (int i = 1; i < hp.length; i++) {
            CowTrie.setNibble(key, at++, (hp[i] >> 4) & 0xf);
            CowTrie.setNibble(key, at++, hp[i] & 0xf);
        }
        if (flag >= 2) {
            if (depth + nibbles != CowTrie.KEY_NIBBLES) throw new CorruptStoreException("leaf path does not end the key");
            return new Leaf(key, depth, payload(enc, items[2], items[3]));
        }
        Ext e = new Ext(key, depth, depth + nibbles);
        int off = items[2], len = items[3];
        e.kidRef = (enc[off] & 0xff) == 0xa0 && len == 33 ? Arrays.copyOfRange(enc, off + 1, off + 33) : Arrays.copyOfRange(enc, off, off + len);
        return e;
    }

    /** {payload offset, payload length, isList} of the RLP item at {@code p}. */
    private static int[] header(byte[] b, int p) {
        int x = b[p] & 0xff;
        if (x < 0x80) return new int[] {p, 1, 0};
        if (x < 0xb8) return new int[] {p + 1, x - 0x80, 0};
        if (x < 0xc0) return new int[] {p + 1 + (x - 0xb7), be(b, p + 1, x - 0xb7), 0};
        if (x < 0xf8) return new int[] {p + 1, x - 0xc0, 1};
        return new int[] {p + 1 + (x - 0xf7), be(b, p + 1, x - 0xf7), 1};
    }

    private static int be(byte[] b, int p, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) v = v << 8 | (b[p + i] & 0xff);
        return v;
    }

    private static byte[] payload(byte[] enc, int off, int len) {
        int[] h = header(enc, off);
        return Arrays.copyOfRange(enc, h[0], h[0] + h[1]);
    }
}
