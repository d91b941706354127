package dev.lanes.node;

import dev.lanes.evm.Fork;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.tx.IntrinsicGas;
import dev.lanes.evm.tx.InvalidTransactionException;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Transactions waiting for a block, one nonce-ordered queue per sender. A transaction whose nonce leaves a gap
 * after the sender's state nonce is held until the gap is filled; only each sender's gap-free prefix is
 * {@link #pending pending}. A transaction with the nonce of one already queued replaces it only when both its
 * fee cap and its tip are at least {@value #PRICE_BUMP_PERCENT}% higher (geth's rule, so that replacements cannot
 * be used to spam the pool for free).
 *
 * <p>The checks in {@link #add} and their messages follow geth's, which wallets and libraries match on. The
 * balance check counts this transaction alone, not the queued ones before it; a transaction that can no longer
 * pay when its block is built is dropped then ({@link #drop}).
 *
 * <p>Not thread-safe: the node calls it from its chain thread.
 */
public final class TxPool {
    static final int PRICE_BUMP_PERCENT = 10;

    private final long chainId;
    private final Fork fork;
    private final int maxSize;
    private final HashMap<Address, TreeMap<Long, Transaction>> bySender = new HashMap<>();
    private final HashMap<Hash, Transaction> byHash = new HashMap<>();
    private final HashMap<Hash, Address> senderOf = new HashMap<>();
    private final HashMap<Hash, Long> arrival = new HashMap<>();
    private long arrivals;

    public TxPool(long chainId, Fork fork, int maxSize) {
        this.chainId = chainId;
        this.fork = fork;
        this.maxSize = maxSize;
    }

    /** Why a transaction was not accepted; the message is what JSON-RPC returns. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }

    /**
     * Validates {@code tx} against the chain rules and {@code state} (the head's post-state) and queues it.
     *
     * @param baseFee       the base fee of the next block
     * @param blockGasLimit the next block's gas limit
     * @return the sender
     * @throws Rejected with geth's message for the first rule broken
     */
    public Address add(Transaction tx, StateReader state, UInt256 baseFee, long blockGasLimit) {
        Hash hash = tx.hash();
        if (byHash.containsKey(hash)) throw new Rejected("already known");
        if (tx.chainId() != null && !tx.chainId().equals(UInt256.of(chainId)))
            throw new Rejected("invalid chain id for signer: have " + tx.chainId().toBigInteger() + " want " + chainId);
        long intrinsic = Math.max(IntrinsicGas.of(tx, fork), IntrinsicGas.floorOf(tx, fork));
        if (Long.compareUnsigned(tx.gasLimit(), intrinsic) < 0)
            throw new Rejected("intrinsic gas too low: gas " + Long.toUnsignedString(tx.gasLimit()) + ", minimum needed " + intrinsic);
        if (Long.compareUnsigned(tx.gasLimit(), blockGasLimit) > 0) throw new Rejected("exceeds block gas limit");
        try {
            tx.validate(fork, chainId); // signature, EIP-2 low s, fee cap >= tip, init code size, EIP-7825 gas cap
        } catch (InvalidTransactionException e) {
            throw new Rejected(e.getMessage());
        }
        Address sender = tx.sender();
        if (tx.maxFeePerGas().lessThan(baseFee))
            throw new Rejected("max fee per gas less than block base fee: address " + sender + ", maxFeePerGas: "
                    + tx.maxFeePerGas().toBigInteger() + ", baseFee: " + baseFee.toBigInteger());
        long stateNonce = state.account(sender) == null ? 0 : state.account(sender).nonce();
        if (Long.compareUnsigned(tx.nonce(), stateNonce) < 0)
            throw new Rejected("nonce too low: next nonce " + stateNonce + ", tx nonce " + Long.toUnsignedString(tx.nonce()));
        UInt256 cost = UInt256.of(tx.gasLimit()).mul(tx.maxFeePerGas());
        if (tx.type() == TxType.BLOB) // EIP-4844: the blob fee cap is paid up front too
            cost = cost.add(UInt256.of(tx.blobVersionedHashes().size() * TransactionProcessor.GAS_PER_BLOB).mul(tx.maxFeePerBlobGas()));
        UInt256 total = cost.add(tx.value());
        UInt256 balance = state.balance(sender);
        if (total.lessThan(cost) || balance.lessThan(total))
            throw new Rejected("insufficient funds for gas * price + value: balance " + balance.toBigInteger()
                    + ", tx cost " + (total.lessThan(cost) ? "over 2^256" : total.toBigInteger()));
        TreeMap<Long, Transaction> queue = bySender.computeIfAbsent(sender, a -> new TreeMap<>(Long::compareUnsigned));
        Transaction old = queue.get(tx.nonce());
        if (old != null) {
            if (!bumped(old.maxFeePerGas(), tx.maxFeePerGas()) || !bumped(old.maxPriorityFeePerGas(), tx.maxPriorityFeePerGas()))
                throw new Rejected("replacement transaction underpriced");
            forget(old.hash());
        } else if (byHash.size() >= maxSize) {
            if (queue.isEmpty()) bySender.remove(sender);
            throw new Rejected("txpool is full");
        }
        queue.put(tx.nonce(), tx);
        byHash.put(hash, tx);
        senderOf.put(hash, sender);
        arrival.put(hash, arrivals++);
        return sender;
    }

    /** new >= old * (100 + bump) / 100. */
    private static boolean bumped(UInt256 old, UInt256 proposed) {
        return proposed.toBigInteger().multiply(java.math.BigInteger.valueOf(100))
                .compareTo(old.toBigInteger().multiply(java.math.BigInteger.valueOf(100 + PRICE_BUMP_PERCENT))) >= 0;
    }

    /**
     * The executable transactions in block order: each sender's gap-free run from its state nonce, interleaved by
     * effective tip under {@code baseFee} (highest first, earlier arrival on ties), never reordering one sender's
     * nonces. Transactions whose fee cap is below the base fee wait (with their sender's later ones).
     */
    public List<Transaction> pending(StateReader state, UInt256 baseFee) {
        record Cursor(List<Transaction> run, int at) {}
        PriorityQueue<Cursor> heads = new PriorityQueue<>((a, b) -> {
            Transaction x = a.run.get(a.at), y = b.run.get(b.at);
            int c = tip(y, baseFee).compareTo(tip(x, baseFee));
            return c != 0 ? c : Long.compare(arrival.get(x.hash()), arrival.get(y.hash()));
        });
        for (Map.Entry<Address, TreeMap<Long, Transaction>> e : bySender.entrySet()) {
            long next = state.account(e.getKey()) == null ? 0 : state.account(e.getKey()).nonce();
            List<Transaction> run = new ArrayList<>();
            for (Transaction tx : e.getValue().tailMap(next, true).values()) {
                if (tx.nonce() != next || tx.maxFeePerGas().lessThan(baseFee)) break;
                run.add(tx);
                next++;
            }
            if (!run.isEmpty()) heads.add(new Cursor(run, 0));
        }
        List<Transaction> out = new ArrayList<>();
        while (!heads.isEmpty()) {
            Cursor c = heads.poll();
            out.add(c.run.get(c.at));
            if (c.at + 1 < c.run.size()) heads.add(new Cursor(c.run, c.at + 1));
        }
        return out;
    }

    /** The tip a transaction pays per gas above {@code baseFee}: min(maxPriorityFee, maxFee - baseFee). */
    static UInt256 tip(Transaction tx, UInt256 baseFee) {
        if (tx.maxFeePerGas().lessThan(baseFee)) return UInt256.ZERO;
        UInt256 room = tx.maxFeePerGas().sub(baseFee);
        return tx.maxPriorityFeePerGas().lessThan(room) ? tx.maxPriorityFeePerGas() : room;
    }

    /** After a block: forgets every transaction whose nonce the sender's state nonce has passed. */
    public void prune(StateReader state) {
        for (Iterator<Map.Entry<Address, TreeMap<Long, Transaction>>> it = bySender.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Address, TreeMap<Long, Transaction>> e = it.next();
            long nonce = state.account(e.getKey()) == null ? 0 : state.account(e.getKey()).nonce();
            Map<Long, Transaction> stale = e.getValue().headMap(nonce, false);
            for (Transaction tx : stale.values()) forgetIndexes(tx.hash());
            stale.clear();
            if (e.getValue().isEmpty()) it.remove();
        }
    }

    /** Drops a transaction that could not be included and every later one of its sender (they now have a gap). */
    public void drop(Transaction tx) {
        Address sender = senderOf.get(tx.hash());
        if (sender == null) return;
        TreeMap<Long, Transaction> queue = bySender.get(sender);
        Map<Long, Transaction> tail = queue.tailMap(tx.nonce(), true);
        for (Transaction t : tail.values()) forgetIndexes(t.hash());
        tail.clear();
        if (queue.isEmpty()) bySender.remove(sender);
    }

    private void forget(Hash hash) {
        Address sender = senderOf.get(hash);
        Transaction tx = byHash.get(hash);
        if (sender == null || tx == null) return;
        TreeMap<Long, Transaction> queue = bySender.get(sender);
        if (queue != null) queue.remove(tx.nonce());
        forgetIndexes(hash);
    }

    private void forgetIndexes(Hash hash) {
        byHash.remove(hash);
        senderOf.remove(hash);
        arrival.remove(hash);
    }

    /** The nonce a new transaction from {@code sender} should take: past the queued gap-free run. */
    public long nextNonce(Address sender, StateReader state) {
        long next = state.account(sender) == null ? 0 : state.account(sender).nonce();
        TreeMap<Long, Transaction> queue = bySender.get(sender);
        if (queue == null) return next;
        while (queue.containsKey(next)) next++;
        return next;
    }

    /** Every queued transaction, in arrival order (what a restart re-adds). */
    public List<Transaction> all() {
        List<Transaction> out = new ArrayList<>(byHash.values());
        out.sort(java.util.Comparator.comparingLong(tx -> arrival.get(tx.hash())));
        return out;
    }

    public Transaction get(Hash hash) {
        return byHash.get(hash);
    }

    public Address sender(Hash hash) {
        return senderOf.get(hash);
    }

    public int size() {
        return byHash.size();
    }

    public void clear() {
        bySender.clear();
        byHash.clear();
        senderOf.clear();
        arrival.clear();
    }
}
