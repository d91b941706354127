package dev.lanes.evm.tx;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.Message;
import dev.lanes.evm.Opcodes;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.TxEnv;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;

/**
 * The state transition of one transaction (Yellow Paper section 6, with EIP-1559 fees, EIP-2929 warm
 * sets, EIP-3529 refunds and EIP-4844 blob gas): validity checks against the current state, gas
 * purchase, the message call or creation, refund, and payment of the coinbase. It touches state only
 * through a {@link Journal} over a {@link StateReader}; the result carries the write set.
 */
public final class TransactionProcessor {
    /** EIP-4844: gas per blob. */
    public static final long GAS_PER_BLOB = 1 << 17;

    private TransactionProcessor() {}

    /** Executes {@code tx} from {@code sender}; throws {@link InvalidTransactionException} when it may not be included. */
    public static TxResult execute(Evm evm, Transaction tx, Address sender, BlockEnv block, StateReader state,
                                   ForkRules rules, Tracer tracer) {
        Journal journal = new Journal(state, rules);
        UInt256 baseFee = block.baseFee();

        // ---- validity against state and block ----
        // In the execution specification's order (validate_transaction, then check_transaction, the same in
        // every fork that has the check), so that a transaction breaking two rules is rejected for the one the
        // specification names: stateless nonce limit; block gas; block blob gas; fee cap against the base fee;
        // blob count, per-transaction limit, hash versions and blob fee; account nonce; balance; sender code.
        // Every check only reads, so their order decides the reason and never whether the transaction is valid.
        if (tx.nonce() == -1L) throw new InvalidTransactionException("nonce has max value (EIP-2681)");
        if (Long.compareUnsigned(tx.gasLimit(), block.gasLimit()) > 0) {
            throw new InvalidTransactionException("gas limit exceeds the block gas limit: " + Long.toUnsignedString(tx.gasLimit())
                    + " > " + block.gasLimit());
        }
        boolean blobTx = tx.type() == TxType.BLOB;
        int blobs = blobTx ? tx.blobVersionedHashes().size() : 0;
        long blobGas = blobs * GAS_PER_BLOB;
        if (blobTx && blobGas > rules.maxBlobGasPerBlock) throw new InvalidTransactionException("too many blobs: " + blobs);
        UInt256 effectivePrice;
        if (rules.eip1559) {
            if (tx.maxFeePerGas().lessThan(baseFee)) {
                throw new InvalidTransactionException("max fee per gas " + tx.maxFeePerGas() + " below base fee " + baseFee);
            }
            UInt256 tip = tx.maxFeePerGas().sub(baseFee);
            if (tx.maxPriorityFeePerGas().lessThan(tip)) tip = tx.maxPriorityFeePerGas();
            effectivePrice = baseFee.add(tip);
        } else {
            effectivePrice = tx.gasPrice();
        }
        if (blobTx) {
            if (blobs == 0) throw new InvalidTransactionException("blob transaction without blobs");
            if (blobs > rules.maxBlobsPerTx) throw new InvalidTransactionException("too many blobs in one transaction: " + blobs
                    + " > " + rules.maxBlobsPerTx + " (EIP-7594)");
            for (Hash h : tx.blobVersionedHashes()) {
                if (h.unsafeBytes()[0] != Transaction.VERSIONED_HASH_VERSION_KZG) {
                    throw new InvalidTransactionException("blob versioned hash with wrong version: " + h);
                }
            }
            if (tx.maxFeePerBlobGas().lessThan(block.blobBaseFee())) {
                throw new InvalidTransactionException("max fee per blob gas below blob base fee");
            }
        }
        long stateNonce = journal.nonce(sender);
        if (tx.nonce() != stateNonce) {
            throw new InvalidTransactionException((Long.compareUnsigned(tx.nonce(), stateNonce) < 0 ? "nonce too low: " : "nonce too high: ")
                    + "transaction " + Long.toUnsignedString(tx.nonce()) + ", state " + Long.toUnsignedString(stateNonce));
        }
        // Balance must cover the worst case: gas at the fee cap, blob gas at its cap, and the value.
        UInt256 maxCost = UInt256.of(tx.gasLimit()).mul(rules.eip1559 ? tx.maxFeePerGas() : tx.gasPrice());
        if (blobGas > 0) maxCost = maxCost.add(UInt256.of(blobGas).mul(tx.maxFeePerBlobGas()));
        UInt256 total = maxCost.add(tx.value());
        if (total.lessThan(maxCost) || overflows(tx, rules)) throw new InvalidTransactionException("insufficient funds: cost overflows 256 bits");
        UInt256 balance = journal.balance(sender);
        if (balance.lessThan(total)) {
            throw new InvalidTransactionException("insufficient funds for gas * price + value: balance " + balance + ", cost " + total);
        }
        Code senderCode = journal.code(sender);
        if (!senderCode.isEmpty() && !(rules.eip7702 && senderCode.delegationTarget() != null)) {
            throw new InvalidTransactionException("sender is not an externally owned account (EIP-3607)");
        }

        // ---- buy gas ----
        UInt256 upfront = UInt256.of(tx.gasLimit()).mul(effectivePrice);
        if (blobGas > 0) upfront = upfront.add(UInt256.of(blobGas).mul(block.blobBaseFee()));
        journal.debit(sender, upfront);
        long intrinsic = IntrinsicGas.of(tx, rules.fork());
        long floor = rules.eip7623 ? IntrinsicGas.floorOf(tx, rules.fork()) : 0;

        // ---- warm sets (EIP-2929, EIP-2930, EIP-3651) ----
        if (rules.eip2929) {
            journal.warmAccount(sender);
            if (tx.to() != null) journal.warmAccount(tx.to());
            journal.warmPrecompiles(rules);
            if (rules.eip3651WarmCoinbase) journal.warmAccount(block.coinbase());
            for (AccessListEntry e : tx.accessList()) {
                journal.warmAccount(e.address());
                for (Hash k : e.storageKeys()) journal.warmSlot(e.address(), UInt256.fromBytes(k.unsafeBytes()));
            }
        }

        // ---- execute ----
        evm.reset(rules, journal, block, new TxEnv(sender, effectivePrice, tx.blobVersionedHashes()), tracer);
        long gas = tx.gasLimit() - intrinsic;
        CallResult result;
        if (tx.isCreate()) {
            result = evm.execute(new Message(Opcodes.CREATE, sender, null, null, tx.value(), tx.unsafeData(), gas, 0, false, null));
        } else {
            journal.incrementNonce(sender);
            if (rules.eip7702) {
                for (Authorization a : tx.authorizationList()) applyAuthorization(journal, a, block.chainId());
                // The destination's delegation target is warm for free (the transaction names it indirectly).
                Address target = journal.code(tx.to()).delegationTarget();
                if (target != null) journal.warmAccount(target);
            }
            result = evm.execute(Message.call(sender, tx.to(), tx.value(), tx.unsafeData(), gas));
        }

        // ---- refund and pay ----
        long gasUsed = tx.gasLimit() - result.gasLeft();
        long refund = Math.min(journal.refund(), gasUsed / rules.refundQuotient);
        gasUsed -= refund;
        if (gasUsed < floor) gasUsed = floor; // EIP-7623 calldata floor
        journal.addBalance(sender, UInt256.of(tx.gasLimit() - gasUsed).mul(effectivePrice));
        UInt256 tipPerGas = rules.eip1559 ? effectivePrice.sub(baseFee) : effectivePrice;
        journal.addBalance(block.coinbase(), UInt256.of(gasUsed).mul(tipPerGas));
        return new TxResult(result.status(), gasUsed, blobGas, result.output(), result.created(),
                journal.logs(), journal.changes());
    }

    /**
     * EIP-7702: applies one authorization tuple if it is valid in the current state; an invalid one is
     * skipped without failing the transaction. Runs after the sender's nonce increment and before execution.
     */
    private static void applyAuthorization(Journal journal, Authorization a, UInt256 chainId) {
        if (!a.chainId().isZero() && !a.chainId().equals(chainId)) return;
        if (a.nonce() == -1L) return; // 2^64-1 could never be incremented (EIP-2681)
        Address authority = a.authority();
        if (authority == null) return;
        journal.warmAccount(authority);
        Code code = journal.code(authority);
        if (!code.isEmpty() && code.delegationTarget() == null) return; // a contract, not an EOA
        if (journal.nonce(authority) != a.nonce()) return;
        if (journal.exists(authority)) journal.addRefund(IntrinsicGas.PER_EMPTY_ACCOUNT_COST - IntrinsicGas.PER_AUTH_BASE_COST);
        journal.setCode(authority, a.address().equals(Address.ZERO) ? Bytes.EMPTY : Code.delegationTo(a.address()));
        journal.incrementNonce(authority);
    }

    private static boolean overflows(Transaction tx, ForkRules rules) {
        UInt256 price = rules.eip1559 ? tx.maxFeePerGas() : tx.gasPrice();
        return price.mulOverflows(tx.gasLimit());
    }

    /** Whether a frame status counts as success for the receipt. */
    public static boolean succeeded(int status) {
        return status == Status.SUCCESS;
    }
}
