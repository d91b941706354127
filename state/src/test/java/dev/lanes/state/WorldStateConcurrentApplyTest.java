package dev.lanes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Block-STM's rolling commit applies write sets to a {@link WorldState} while workers read it: an account the
 * apply creates (or replaces, on a storage reset) must be seen whole or not at all. Before session 9 a new account
 * was put into the map first and its fields set after, and a reader could see it with a null balance (found by
 * ParallelDifferentialTest on 8 threads, one block in 3,000). Here one thread creates accounts while another reads
 * each as it appears.
 */
class WorldStateConcurrentApplyTest {
    @Test
    void aNewAccountIsSeenWholeOrNotAtAll() throws Exception {
        int n = 200_000;
        Address[] addresses = new Address[n];
        for (int i = 0; i < n; i++) addresses[i] = Address.fromWord(UInt256.of(i + 1).toBytes(), 0);
        WorldState state = new WorldState();
        AtomicReference<String> bad = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < n && bad.get() == null; ) {
                AccountInfo a = state.account(addresses[i]);
                if (a == null) { Thread.onSpinWait(); continue; }
                if (a.balance() == null || a.codeHash() == null || a.nonce() != 1) bad.set("account " + i + " seen half-built: " + a);
                i++;
            }
        });
        reader.start();
        for (int i = 0; i < n; i++) {
            state.apply(List.of(new AccountChange(addresses[i], new AccountInfo(1, UInt256.of(7), Hash.EMPTY_CODE, false),
                    null, false, Map.of())));
        }
        reader.join(60_000);
        assertNull(bad.get());
        assertEquals(UInt256.of(7), state.balance(addresses[n - 1]));
    }
}
