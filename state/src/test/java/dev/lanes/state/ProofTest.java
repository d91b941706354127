package dev.lanes.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpReader;
import dev.lanes.state.trie.TrieProof;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * EIP-1186 proofs from {@link WorldState#proof}, checked by {@link TrieProof#verify} (which only decodes nodes
 * and follows hashes): present and absent accounts and slots, states from one account to thousands, and
 * tampered proofs rejected.
 */
class ProofTest {
    private static Address addr(Random r) {
        byte[] b = new byte[20];
        r.nextBytes(b);
        return Address.wrap(b);
    }

    @Test
    void proofsVerifyAgainstTheStateRoot() {
        Random r = new Random(1186);
        for (int size : new int[] {1, 2, 3, 17, 300, 3_000}) {
            WorldState state = new WorldState();
            List<Address> present = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Address a = addr(r);
                Map<UInt256, UInt256> storage = new HashMap<>();
                int slots = i % 5 == 0 ? r.nextInt(200) : 0;
                for (int k = 0; k < slots; k++) storage.put(UInt256.of(r.nextInt(1_000)), UInt256.of(1 + r.nextInt(1 << 30)));
                byte[] code = i % 7 == 0 ? new byte[] {0x60, 0x00, (byte) i} : new byte[0];
                state.put(a, r.nextInt(100), UInt256.of(r.nextLong() >>> 1), code, storage);
                present.add(a);
            }
            Hash root = state.stateRoot();
            for (int q = 0; q < 40; q++) {
                boolean absent = q % 4 == 3;
                Address a = absent ? addr(r) : present.get(r.nextInt(present.size()));
                List<UInt256> keys = List.of(UInt256.of(r.nextInt(1_000)), UInt256.of(r.nextInt(1_000)), UInt256.of(5_000));
                WorldState.AccountProof p = state.proof(a, keys);
                byte[] leaf = TrieProof.verify(root, dev.lanes.primitives.Keccak.hash(a.toArray()), p.accountProof());
                if (absent) {
                    assertNull(leaf, "absent account proven absent");
                    assertEquals(Hash.EMPTY_TRIE, p.storageHash());
                } else {
                    RlpReader rd = new RlpReader(leaf);
                    int end = rd.enterList();
                    assertEquals(p.nonce(), rd.readLong());
                    assertEquals(p.balance(), rd.readUInt256());
                    assertEquals(p.storageHash(), rd.readHash());
                    assertEquals(p.codeHash(), rd.readHash());
                    rd.leaveList(end);
                    assertEquals(state.account(a).balance(), p.balance());
                }
                for (WorldState.StorageProof sp : p.storageProofs()) {
                    byte[] v = TrieProof.verify(p.storageHash(), dev.lanes.primitives.Keccak.hash(sp.key().toBytes()), sp.proof());
                    assertEquals(state.storage(a, sp.key()), sp.value());
                    if (sp.value().isZero()) assertNull(v, "zero slot proven absent");
                    else assertEquals(sp.value(), new RlpReader(v).readUInt256());
                }
            }
        }
    }

    @Test
    void tamperedProofsAreRejected() {
        Random r = new Random(7);
        WorldState state = new WorldState();
        List<Address> as = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Address a = addr(r);
            as.add(a);
            state.put(a, i, UInt256.of(i + 1), new byte[0], Map.of());
        }
        Hash root = state.stateRoot();
        Address a = as.get(123);
        List<byte[]> proof = state.proof(a, List.of()).accountProof();
        byte[] key = dev.lanes.primitives.Keccak.hash(a.toArray());
        assertTrue(proof.size() >= 2);
        // A changed byte in any node breaks the hash chain.
        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> bad = new ArrayList<>(proof);
            byte[] node = bad.get(i).clone();
            node[node.length - 1] ^= 1;
            bad.set(i, node);
            assertThrows(IllegalArgumentException.class, () -> TrieProof.verify(root, key, bad), "node " + i);
        }
        // A missing node, or the proof against another root, does not verify.
        assertThrows(IllegalArgumentException.class, () -> TrieProof.verify(root, key, proof.subList(0, proof.size() - 1)));
        assertThrows(IllegalArgumentException.class, () -> TrieProof.verify(Hash.wrap(new byte[32]), key, proof));
        assertArrayEquals(TrieProof.verify(root, key, proof), TrieProof.verify(root, key, new ArrayList<>(proof)));
    }

    @Test
    void emptyState() {
        WorldState state = new WorldState();
        WorldState.AccountProof p = state.proof(Address.ZERO, List.of(UInt256.ONE));
        assertTrue(p.accountProof().isEmpty());
        assertNull(TrieProof.verify(state.stateRoot(), new byte[32], p.accountProof()));
    }
}
