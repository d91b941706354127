package dev.lanes.node;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Receipt;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import java.util.List;

/**
 * A sealed block as the node stores it: the header and its hash, the transactions with their recovered senders
 * and receipts (index-aligned), and the RLP size that JSON-RPC reports. Immutable once built.
 */
public record Block(BlockHeader header, Hash hash, List<Transaction> transactions, List<Address> senders,
                    List<Receipt> receipts, long size) {
    public Block {
        transactions = List.copyOf(transactions);
        senders = List.copyOf(senders);
        receipts = List.copyOf(receipts);
        if (senders.size() != transactions.size() || receipts.size() != transactions.size())
            throw new IllegalArgumentException("transactions, senders and receipts must be index-aligned");
    }

    public long number() {
        return header.number();
    }

    /** Where a transaction sits: its block number and index in that block. */
    public record TxLocation(long blockNumber, int index) {}
}
