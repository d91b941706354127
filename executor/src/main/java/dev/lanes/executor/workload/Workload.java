package dev.lanes.executor.workload;

import dev.lanes.evm.Fork;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockHeader;
import dev.lanes.state.WorldState;
import java.util.List;
import java.util.function.Supplier;

/**
 * A generated block: its header, the fork to run it under, its signed transactions and its pre-state.
 * {@code preState} returns a fresh, independent copy on every call, so one workload can be executed many
 * times (sequentially, in parallel, repeatedly) each from the same state. Built by {@link Workloads#build}.
 *
 * <p>The transactions are freshly signed: their senders have not been recovered yet (a {@link Transaction} caches
 * its sender once recovered, so only a workload's first execution pays for recovery).
 *
 * <p>Executing it needs a thread with a deep stack (nested calls recurse), as for any block.
 */
public record Workload(String name, BlockHeader header, Fork fork, List<Transaction> transactions,
                       Supplier<WorldState> preState) {
    public Workload {
        transactions = List.copyOf(transactions);
    }
}
