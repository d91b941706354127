package dev.lanes.executor;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.ReadPool;
import dev.lanes.state.WorldState;
import java.util.List;

/**
 * What a block's executor asks a {@link ReadPool} to load before its transactions need it, when the block runs on a
 * state {@link WorldState#over over a store} ({@link BlockExecutor#prefetch}).
 *
 * <ul>
 *   <li>{@link #KEYS}: what the transactions name: the coinbase, each sender, each recipient with its code, each
 *       access list's addresses and slots, in block order (so the first transactions' reads are queued first). An
 *       EIP-7702 authority is not named (it is known only after recovering the authorization's signature).
 *   <li>{@link #EXECUTE}: {@link #KEYS}, then each transaction run once on a pool thread against the state as it
 *       stands (its result thrown away), which loads the slots it reads as well: a token's balance slots, a pool's
 *       reserves. The runs cost CPU that the executing threads might use; they pay where reads wait for a disk.
 *       A run that fails (a later nonce of the same sender, an error in code that depends on an earlier transaction)
 *       has still loaded what it read up to there. A run is skipped once the executor has reached its transaction
 *       (the sequential path reports its progress; Block-STM does not, so its runs all go ahead).
 * </ul>
 *
 * Block-STM needs nothing more: a transaction's next incarnation reads what its previous one read, and those values
 * are held in the state by then.
 */
public enum Prefetch {
    NONE, KEYS, EXECUTE;

    private static final ThreadLocal<Evm> EVMS = ThreadLocal.withInitial(Evm::new);

    /**
     * Runs {@code tx} once against {@code state} only to load what it reads (its result is thrown away), on a pool
     * thread with that thread's own {@link Evm}; never throws: a run that fails has loaded what it read up to there,
     * and the real execution reports whatever matters. Also how Block-STM loads a suspended transaction's reads.
     */
    public static void runAhead(Transaction tx, Address sender, BlockEnv env, StateReader state, ForkRules rules) {
        try {
            TransactionProcessor.execute(EVMS.get(), tx, sender, env, state, rules, null);
        } catch (RuntimeException | StackOverflowError e) {
            // dropped: a run ahead is advice
        }
    }

    /** Queues this mode's reads for a block on {@code pool}; null for {@link #NONE}. Cancel the batch at the block's end. */
    ReadPool.Batch start(ReadPool pool, WorldState state, List<Transaction> txs, Address[] senders, BlockEnv env, ForkRules rules) {
        if (this == NONE) return null;
        ReadPool.Batch b = pool.batch(state);
        b.account(env.coinbase());
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            b.account(senders[i]);
            if (tx.to() != null) b.account(tx.to());
            for (AccessListEntry e : tx.accessList()) {
                b.account(e.address());
                for (Hash k : e.storageKeys()) b.storage(e.address(), UInt256.fromBytes(k.unsafeBytes()));
            }
        }
        if (this == EXECUTE) {
            for (int i = 0; i < txs.size(); i++) {
                Transaction tx = txs.get(i);
                Address sender = senders[i];
                int index = i;
                b.submit(() -> {
                    // the executor has reached this transaction: it loads its reads itself now
                    if (b.progress() >= index) return;
                    runAhead(tx, sender, env, state, rules);
                });
            }
        }
        return b;
    }
}
