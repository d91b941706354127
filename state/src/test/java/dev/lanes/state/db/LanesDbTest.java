package dev.lanes.state.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieProof;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanesDbTest {
    @TempDir Path dir;

    static LanesDb.Options small() {
        return LanesDb.Options.defaults().withSegmentBytes(64 << 10).withKeepVersions(8);
    }

    static void checkReads(LanesDb db, StateModel m, int addresses, int slots) {
        checkReads(db, m, 1, addresses + 1, slots);
    }

    /** Every read of the accounts {@code from} (inclusive) to {@code to} (exclusive) and their first slots. */
    static void checkReads(LanesDb db, StateModel m, int from, int to, int slots) {
        for (int i = from; i < to; i++) {
            Address a = Address.ofLow(i);
            StateModel.Acct acc = m.accounts.get(a);
            AccountInfo info = db.account(a);
            if (acc == null) {
                assertNull(info, "account " + i);
                continue;
            }
            assertEquals(acc.nonce, info.nonce());
            assertEquals(acc.balance, info.balance());
            assertEquals(!acc.storage.isEmpty(), info.hasStorage());
            assertArrayEquals(acc.code, db.code(info.codeHash()));
            for (int s = 0; s < slots; s++) {
                UInt256 k = UInt256.of(s);
                assertEquals(acc.storage.getOrDefault(k, UInt256.ZERO), db.storage(a, k), "slot " + s + " of " + i);
            }
        }
    }

    @Test void randomBlocksMatchWorldStateAcrossReopens() {
        int addresses = 400, slots = 40;
        StateModel m = new StateModel(7, addresses, slots);
        LanesDb db = LanesDb.open(dir, small());
        try {
            for (int b = 0; b < 200; b++) {
                StateUpdate u = m.block(b == 0 ? 600 : 1 + (b * 7) % 60);
                Hash root = db.commit(b, u);
                assertEquals(m.root(), root, "block " + b);
                assertEquals(b, db.version());
                if (b % 50 == 49) {
                    checkReads(db, m, addresses, slots);
                    db.close();
                    db = LanesDb.open(dir, small());
                    assertEquals(b, db.version());
                    assertEquals(root, db.root());
                }
                if (b % 37 == 0) checkProofs(db, m, b);
            }
            checkReads(db, m, addresses, slots);
            assertEquals(db.root(), db.checkConsistency());
        } finally {
            db.close();
        }
        // A reopen with the snapshot removed rebuilds the index by walking the trie.
        assertTrue(dir.resolve("index.snap").toFile().delete());
        try (LanesDb again = LanesDb.open(dir, small())) {
            assertEquals(m.root(), again.root());
            checkReads(again, m, addresses, slots);
            assertEquals(again.root(), again.checkConsistency());
        }
    }

    private static void checkProofs(LanesDb db, StateModel m, long version) {
        WorldState ws = m.worldState();
        for (int i = 1; i <= 40; i++) {
            Address a = Address.ofLow(i);
            List<UInt256> keys = List.of(UInt256.of(0), UInt256.of(3), UInt256.of(1000));
            WorldState.AccountProof p = db.proof(version, a, keys);
            WorldState.AccountProof want = ws.proof(a, keys);
            assertEquals(want.storageHash(), p.storageHash());
            byte[] leaf = TrieProof.verify(db.root(version), Keccak.hash(a.unsafeBytes()), p.accountProof());
            assertEquals(m.accounts.containsKey(a), leaf != null);
            assertEquals(want.accountProof().size(), p.accountProof().size());
            for (int j = 0; j < want.accountProof().size(); j++) assertArrayEquals(want.accountProof().get(j), p.accountProof().get(j));
            for (WorldState.StorageProof sp : p.storageProofs()) {
                byte[] v = TrieProof.verify(p.storageHash(), Keccak.hash(sp.key().toBytes()), sp.proof());
                if (sp.value().isZero()) assertNull(v);
                else assertArrayEquals(new RlpWriter().writeUInt256(sp.value()).toByteArray(), v);
            }
        }
    }

    @Test void pruningKeepsExactlyTheLastVersions() {
        StateModel m = new StateModel(3, 50, 10);
        List<Hash> roots = new ArrayList<>();
        List<Long> nonces = new ArrayList<>();
        try (LanesDb db = LanesDb.open(dir, LanesDb.Options.defaults().withKeepVersions(4))) {
            for (int v = 0; v < 12; v++) {
                roots.add(db.commit(v, m.block(30)));
                StateModel.Acct a1 = m.accounts.get(Address.ofLow(1));
                nonces.add(a1 == null ? -1 : a1.nonce);
            }
            for (int v = 0; v < 12; v++) {
                if (v >= 8) {
                    assertTrue(db.isReadable(v));
                    assertEquals(roots.get(v), db.root(v));
                    AccountInfo a = db.account(v, Address.ofLow(1));
                    assertEquals((long) nonces.get(v), a == null ? -1 : a.nonce());
                } else {
                    assertFalse(db.isReadable(v));
                    int vv = v;
                    assertThrows(IllegalArgumentException.class, () -> db.root(vv));
                }
            }
        }
        try (LanesDb db = LanesDb.open(dir.resolve("archive"), LanesDb.Options.defaults().withKeepVersions(0))) {
            StateModel m2 = new StateModel(3, 50, 10);
            for (int v = 0; v < 12; v++) db.commit(v, m2.block(30));
            for (int v = 0; v < 12; v++) assertEquals(roots.get(v), db.root(v));
        }
    }

    record Snap(long nonce, UInt256 balance, Hash codeHash, Map<UInt256, UInt256> storage) {}

    static Map<Address, Snap> snapshot(StateModel m) {
        Map<Address, Snap> out = new java.util.HashMap<>();
        m.accounts.forEach((a, acc) -> out.put(a, new Snap(acc.nonce, acc.balance,
                acc.code.length == 0 ? Hash.EMPTY_CODE : Keccak.hashOf(acc.code), new java.util.HashMap<>(acc.storage))));
        return out;
    }

    static Map<Address, Snap> listed(LanesDb db, long version) {
        Map<Address, Snap> out = new java.util.HashMap<>();
        db.forEachAccount(version, (a, info, slots) -> assertNull(out.put(a, new Snap(info.nonce(), info.balance(), info.codeHash(), slots))));
        return out;
    }

    /** Puts a model back to a snapshot (code by hash from the store). */
    static void restore(StateModel m, Map<Address, Snap> snap, LanesDb db) {
        m.accounts.clear();
        snap.forEach((a, s) -> {
            StateModel.Acct acc = new StateModel.Acct();
            acc.nonce = s.nonce();
            acc.balance = s.balance();
            acc.code = db.code(s.codeHash());
            acc.storage.putAll(s.storage());
            m.accounts.put(a, acc);
        });
    }

    /**
     * Preimages: every kept version lists back under its original addresses and slots, also after reopens. Rollback:
     * to a kept version (its root, reads and listing again; later commits go on from it), refused past the kept
     * window and for segments pruning deleted, to empty, and durable across a reopen.
     */
    @Test void preimagesListVersionsAndRollbackGoesBack() {
        LanesDb.Options opts = small().withPreimages(true);
        StateModel m = new StateModel(11, 120, 12);
        List<Map<Address, Snap>> snaps = new ArrayList<>();
        List<Hash> roots = new ArrayList<>();
        LanesDb db = LanesDb.open(dir, opts);
        try {
            for (int v = 0; v < 40; v++) {
                roots.add(db.commit(v, m.block(v == 0 ? 200 : 25)));
                snaps.add(snapshot(m));
            }
            for (int v = 32; v < 40; v++) assertEquals(snaps.get(v), listed(db, v), "version " + v);
            assertFalse(db.isReadable(31));
            LanesDb first = db;
            assertThrows(IllegalArgumentException.class, () -> first.rollback(20));
            assertThrows(IllegalArgumentException.class, () -> first.rollback(41));

            db.rollback(35);
            assertEquals(35, db.version());
            assertEquals(roots.get(35), db.root());
            assertEquals(snaps.get(35), listed(db, 35));
            assertFalse(db.isReadable(36));
            assertEquals(db.root(), db.checkConsistency());
            restore(m, snaps.get(35), db);
            checkReads(db, m, 120, 12);
            // The window reaches back to 28 again, but pruning deleted what versions before 32 used.
            for (int v = 28; v < 32; v++) {
                if (db.isReadable(v)) assertEquals(roots.get(v), db.root(v));
            }
            snaps.subList(36, snaps.size()).clear();
            roots.subList(36, roots.size()).clear();
            for (int v = 36; v < 60; v++) {
                Hash r = db.commit(v, m.block(25));
                assertEquals(m.root(), r, "version " + v + " after the rollback");
                snaps.add(snapshot(m));
                roots.add(r);
            }
            db.rollback(57);
            db.close();
            LanesDb reopened = LanesDb.open(dir, opts);
            db = reopened;
            assertEquals(57, db.version());
            assertEquals(roots.get(57), db.root());
            assertEquals(snaps.get(57), listed(db, 57));
            assertEquals(snaps.get(55), listed(db, 55));
            db.rollback(-1);
            assertEquals(-1, db.version());
            assertEquals(Hash.EMPTY_TRIE, db.root());
            StateModel fresh = new StateModel(12, 50, 5);
            Hash r0 = db.commit(0, fresh.block(80));
            assertEquals(fresh.root(), r0);
            db.close();
            db = LanesDb.open(dir, opts);
            assertEquals(0, db.version());
            assertEquals(snapshot(fresh), listed(db, 0));
        } finally {
            db.close();
        }
        // Without preimages a store cannot be listed, and one written without them is not opened with them.
        Path plain = dir.resolve("plain");
        try (LanesDb p = LanesDb.open(plain, small())) {
            p.commit(0, new StateModel(1, 10, 2).block(10));
            assertThrows(IllegalStateException.class, () -> p.forEachAccount(0, (a, i, st) -> { }));
        }
        assertThrows(CorruptStoreException.class, () -> LanesDb.open(plain, small().withPreimages(true)));
    }

    /** A segment whose header a kill tore, cut at open, is not held against a later rollback into a new one of that id. */
    @Test void rollbackAfterATornSegmentHeaderWasCutAtOpen() throws Exception {
        StateModel m = new StateModel(5, 200, 10);
        List<Hash> roots = new ArrayList<>();
        int v = 0;
        try (LanesDb db = LanesDb.open(dir, small())) {
            while (Segments.list(dir).getLast() < 2 && v < 5_000) roots.add(db.commit(v++, m.block(40)));
        }
        int torn = Segments.list(dir).getLast() + 1;
        java.nio.file.Files.write(Segments.file(dir, torn), new byte[5]); // created, header not yet written
        try (LanesDb db = LanesDb.open(dir, small())) {
            assertEquals(v - 1, db.version());
            while (Segments.list(dir).getLast() < torn + 1 && v < 5_000) roots.add(db.commit(v++, m.block(40)));
            db.rollback(v - 2);
            assertEquals(roots.get(v - 2), db.root());
            assertEquals(db.root(), db.checkConsistency());
        }
    }

    @Test void compactionKeepsDiskBounded() {
        compactUnderLoad(new StateModel(11, 300, 30), LanesDb.Options.defaults().withSegmentBytes(64 << 10).withKeepVersions(2),
                v -> 40, (v, before, after) -> {});
    }

    /**
     * With a cap far above any commit, each compacting commit copies at most about twice the nodes it writes for its
     * own update (or the floor), storage tries included, and the disk still stays bounded over many commits of small
     * and larger blocks.
     */
    @Test void compactionPaceTracksTheCommitsOwnWrites() {
        LanesDb.Options o = LanesDb.Options.defaults().withSegmentBytes(64 << 10).withKeepVersions(2)
                .withCompaction(1_000_000, 2.0).withBackgroundCompaction(false); // the pace of compaction inside commits
        compactUnderLoad(new StateModel(12, 300, 30), o, v -> v % 10 == 0 ? 400 : 40, (v, before, after) -> {
            long rel = after.relocatedNodes() - before.relocatedNodes();
            long own = after.writtenNodes() - before.writtenNodes() - rel;
            // The trie walk may pass the budget by the ancestors of the last node it marks (at most a path).
            long bound = Math.max(LanesDb.Options.COMPACT_FLOOR, 2 * own) + 64;
            assertTrue(rel <= bound, "block " + v + ": relocated " + rel + " for " + own + " own nodes");
        });
    }

    /**
     * Background compaction: between commits the compactor copies nodes forward while reads of the newest state run
     * on other threads (as the node's execution does); every read sees the last committed state, every root is
     * right, the disk stays bounded, and a reopen (which cuts off what the compactor wrote after the last commit)
     * finds the same state.
     */
    @Test void backgroundCompactionRunsBetweenCommitsBesideReaders() throws Exception {
        int addresses = 300, slots = 30;
        StateModel m = new StateModel(13, addresses, slots);
        LanesDb.Options o = LanesDb.Options.defaults().withSegmentBytes(64 << 10).withKeepVersions(2);
        assertTrue(o.backgroundCompaction(), "on by default");
        long maxSegments = 0;
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (LanesDb db = LanesDb.open(dir, o)) {
            Hash r0 = db.commit(0, m.block(800));
            assertEquals(m.root(), r0);
            for (int v = 1; v < 300; v++) {
                Hash r = db.commit(v, m.block(40));
                assertEquals(m.root(), r, "block " + v);
                // The gap between blocks: two threads read the newest state while the compactor runs.
                int from = 1 + (v * 37) % (addresses - 20);
                List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int start = from + t * 10;
                    fs.add(readers.submit(() -> checkReads(db, m, start, start + 10, slots)));
                }
                for (var f : fs) f.get();
                if (v > 100) maxSegments = Math.max(maxSegments, db.stats().segments());
            }
            assertTrue(db.backgroundRelocated() > 0, "the compactor copied nodes");
            checkReads(db, m, addresses, slots);
            assertEquals(m.root(), db.checkConsistency());
            assertTrue(db.diskBytes() < db.stats().bytesWritten() / 3, "disk " + db.diskBytes());
            db.commit(300, m.block(40));
            Thread.sleep(20); // let the compactor write past the last version before the close
        } finally {
            readers.shutdownNow();
        }
        assertTrue(maxSegments < 40, "segments " + maxSegments);
        try (LanesDb db = LanesDb.open(dir, o)) {
            assertEquals(300, db.version());
            assertEquals(m.root(), db.root());
            checkReads(db, m, addresses, slots);
            assertEquals(m.root(), db.checkConsistency());
            Hash r = db.commit(301, m.block(40));
            assertEquals(m.root(), r);
        }
    }

    /** What a test checks after each commit of {@link #compactUnderLoad}, from the store's stats around it. */
    private interface CommitCheck {
        void check(int version, LanesDb.Stats before, LanesDb.Stats after);
    }

    /**
     * Commits 400 blocks ({@code blockSize(v)} updates each, after an 800-update first block) with two versions kept,
     * checking every root and {@code check} after each commit, then that compaction ran, reads and consistency hold,
     * and the disk stays bounded: under a third of the bytes written, fewer than 40 segments after block 100.
     */
    private void compactUnderLoad(StateModel m, LanesDb.Options o, java.util.function.IntUnaryOperator blockSize,
                                  CommitCheck check) {
        long maxSegments = 0;
        try (LanesDb db = LanesDb.open(dir, o)) {
            Hash r0 = db.commit(0, m.block(800));
            assertEquals(m.root(), r0, "block 0");
            for (int v = 1; v < 400; v++) {
                LanesDb.Stats before = db.stats();
                Hash r = db.commit(v, m.block(blockSize.applyAsInt(v)));
                assertEquals(m.root(), r, "block " + v);
                check.check(v, before, db.stats());
                if (v > 100) maxSegments = Math.max(maxSegments, db.stats().segments());
            }
            assertTrue(db.stats().relocatedNodes() > 0);
            checkReads(db, m, 300, 30);
            db.checkConsistency();
            long written = db.stats().bytesWritten();
            // Without reclaiming, all written node bytes would still be on disk.
            assertTrue(db.diskBytes() < written / 3, "disk " + db.diskBytes() + " written " + written);
        }
        assertTrue(maxSegments < 40, "segments " + maxSegments);
    }

    @Test void emptyAndSingleKeyTries() {
        try (LanesDb db = LanesDb.open(dir, small())) {
            assertEquals(-1, db.version());
            assertEquals(Hash.EMPTY_TRIE, db.root());
            Address a = Address.ofLow(5);
            StateUpdate u = new StateUpdate().account(new StateUpdate.Account(a, 1, UInt256.of(9), Hash.EMPTY_CODE, false, false,
                    Map.of(UInt256.of(1), UInt256.of(2))));
            WorldState ws = new WorldState();
            ws.put(a, 1, UInt256.of(9), new byte[0], Map.of(UInt256.of(1), UInt256.of(2)));
            assertEquals(ws.stateRoot(), db.commit(0, u));
            assertEquals(Hash.EMPTY_TRIE, db.commit(1, new StateUpdate().account(StateUpdate.Account.deletion(a))));
            assertNull(db.account(a));
            assertEquals(UInt256.ZERO, db.storage(a, UInt256.of(1)));
            assertThrows(IllegalArgumentException.class, () -> db.commit(5, new StateUpdate()));
            assertEquals(Hash.EMPTY_TRIE, db.commit(2, new StateUpdate()));
        }
    }

    @Test void secondOpenOfTheSameDirectoryIsRefused() {
        try (LanesDb db = LanesDb.open(dir, small())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LanesDb.open(dir, small()));
            assertTrue(e.getMessage().contains("in use"));
        }
    }
}
