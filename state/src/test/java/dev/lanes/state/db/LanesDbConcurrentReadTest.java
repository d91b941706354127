package dev.lanes.state.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of the newest state while commits run (what a pipelined replay does: the next block executes while the one
 * before commits): every read returns what one of the versions that were newest during the read held (the version
 * before the commit, or the commit's own once it switched), never a mix, never a failure. One version kept, small
 * segments and the background compactor on, so segments are deleted and nodes moved under the readers.
 */
class LanesDbConcurrentReadTest {
    @TempDir Path dir;

    /** An account of one version as the model held it: null fields mean absent. */
    private record Snap(long nonce, UInt256 balance, Hash codeHash, boolean hasStorage, Map<UInt256, UInt256> storage) {}

    private static Map<Address, Snap> snapshot(StateModel m) {
        Map<Address, Snap> out = new HashMap<>();
        m.accounts.forEach((a, acc) -> out.put(a, new Snap(acc.nonce, acc.balance,
                acc.code.length == 0 ? Hash.EMPTY_CODE : Keccak.hashOf(acc.code), !acc.storage.isEmpty(), Map.copyOf(acc.storage))));
        return out;
    }

    @Test @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void readsBesideCommitsSeeOneWholeVersion() throws Exception {
        int addresses = 200, slots = 20, blocks = 250;
        StateModel m = new StateModel(21, addresses, slots);
        AtomicReferenceArray<Map<Address, Snap>> versions = new AtomicReferenceArray<>(blocks);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong(), duringCommit = new AtomicLong();
        LanesDb.Options o = LanesDb.Options.defaults().withSegmentBytes(32 << 10).withKeepVersions(1);
        try (LanesDb db = LanesDb.open(dir, o)) {
            StateUpdate first = m.block(600);
            versions.set(0, snapshot(m));
            db.commit(0, first);
            Thread[] readers = new Thread[3];
            for (int t = 0; t < readers.length; t++) {
                long seed = t;
                readers[t] = new Thread(() -> {
                    Random rnd = new Random(seed);
                    while (!stop.get() && errors.size() < 10) {
                        Address a = Address.ofLow(1 + rnd.nextInt(addresses));
                        UInt256 k = UInt256.of(rnd.nextInt(slots));
                        boolean during = inCommit.get();
                        long v0 = db.version();
                        try {
                            AccountInfo info = db.account(a);
                            UInt256 value = db.storage(a, k);
                            byte[] code = info == null ? null : db.code(info.codeHash());
                            long v1 = db.version();
                            if (!matchesSome(versions, v0, v1, a, s -> s == null ? info == null
                                    : info != null && info.nonce() == s.nonce() && info.balance().equals(s.balance())
                                    && info.codeHash().equals(s.codeHash()) && info.hasStorage() == s.hasStorage())) {
                                errors.add("account " + a + " read " + info + " matches no version in " + v0 + ".." + v1);
                            }
                            if (!matchesSome(versions, v0, v1, a, s -> Objects.equals(value,
                                    s == null ? UInt256.ZERO : s.storage().getOrDefault(k, UInt256.ZERO)))) {
                                errors.add("slot " + k + " of " + a + " read " + value + " matches no version in " + v0 + ".." + v1);
                            }
                            if (info != null && (code == null || !Keccak.hashOf(code).equals(info.codeHash()))) {
                                errors.add("code of " + a + " missing or wrong");
                            }
                            reads.incrementAndGet();
                            if (during && inCommit.get() && v1 == v0) duringCommit.incrementAndGet();
                        } catch (Throwable e) {
                            errors.add("read of " + a + " failed: " + e);
                        }
                    }
                }, "reader-" + t);
                readers[t].start();
            }
            try {
                for (int v = 1; v < blocks && errors.isEmpty(); v++) {
                    StateUpdate u = m.block(30);
                    versions.set(v, snapshot(m));
                    inCommit.set(true);
                    Hash r = db.commit(v, u);
                    inCommit.set(false);
                    assertEquals(m.root(), r, "block " + v);
                }
            } finally {
                stop.set(true);
                for (Thread t : readers) t.join();
            }
            assertTrue(errors.isEmpty(), () -> errors.size() + " bad reads, first: " + errors.peek());
            assertEquals(m.root(), db.checkConsistency());
            assertTrue(db.backgroundRelocated() + db.stats().relocatedNodes() > 0, "compaction moved nodes under the readers");
        }
        System.out.println("reads " + reads.get() + ", inside a commit " + duringCommit.get());
        assertTrue(reads.get() > 1000, "reads " + reads.get());
        assertTrue(duringCommit.get() > 100, "reads that ran inside a commit: " + duringCommit.get());
    }

    private final java.util.concurrent.atomic.AtomicBoolean inCommit = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Whether {@code ok} holds for {@code a} in some version from {@code v0} to {@code v1}: the newest version before and
     * after the read (a read sees one version whole, the newest when it took the store's read lock).
     */
    private static boolean matchesSome(AtomicReferenceArray<Map<Address, Snap>> versions, long v0, long v1, Address a,
                                       java.util.function.Predicate<Snap> ok) {
        for (long v = v0; v <= v1; v++) {
            Map<Address, Snap> s = versions.get((int) v);
            if (s != null && ok.test(s.get(a))) return true;
        }
        return false;
    }
}
