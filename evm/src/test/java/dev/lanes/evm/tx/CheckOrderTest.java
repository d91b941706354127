package dev.lanes.evm.tx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A transaction that breaks two rules is rejected for the one the execution specification checks first
 * ({@code validate_transaction}, then {@code check_transaction} in {@code forks/osaka/fork.py}; the earlier forks
 * keep the same order for the checks they have). Each case pairs two faults, the earlier one expected.
 */
class CheckOrderTest {
    private static final byte[] KEY = Hex.decode("4646464646464646464646464646464646464646464646464646464646464646");
    private static final Address SENDER = Secp256k1.addressFromPrivate(KEY);
    private static final Address TO = Address.fromHex("0x3535353535353535353535353535353535353535");
    private static final Hash BLOB_HASH = Hash.fromHex("0x01" + "ab".repeat(31));
    private static final ForkRules OSAKA = ForkRules.of(Fork.OSAKA);
    private static final UInt256 BASE_FEE = UInt256.of(7);
    private static final BlockEnv BLOCK = new BlockEnv(Address.ZERO, 1, 1, 30_000_000, BASE_FEE, UInt256.ZERO,
            UInt256.ONE, UInt256.ONE);

    /** The sender's account: nonce 5, the given balance and code (none when empty). */
    private static StateReader sender(UInt256 balance, byte[] code) {
        Hash codeHash = code.length == 0 ? Hash.EMPTY_CODE : Keccak.hashOf(code);
        return new StateReader() {
            @Override public AccountInfo account(Address a) {
                return a.equals(SENDER) ? new AccountInfo(5, balance, codeHash, false) : null;
            }
            @Override public byte[] code(Hash h) { return code; }
            @Override public UInt256 storage(Address a, UInt256 k) { return UInt256.ZERO; }
            @Override public Hash blockHash(long n) { return Hash.ZERO; }
        };
    }

    private static final StateReader RICH = sender(UInt256.of(1L << 62), new byte[0]);

    private static Transaction.Builder blobTx(int blobs, long nonce) {
        return Transaction.builder(TxType.BLOB).chainId(1).nonce(nonce).gasLimit(21_000).to(TO)
                .maxFeePerGas(UInt256.of(10)).maxPriorityFeePerGas(UInt256.ONE).maxFeePerBlobGas(UInt256.of(10))
                .blobVersionedHashes(Collections.nCopies(blobs, BLOB_HASH));
    }

    private static Transaction.Builder feeTx(long nonce) {
        return Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(nonce).gasLimit(21_000).to(TO)
                .maxFeePerGas(UInt256.of(10)).maxPriorityFeePerGas(UInt256.ONE);
    }

    private static void rejected(String expected, Executable e) {
        InvalidTransactionException x = assertThrows(InvalidTransactionException.class, e);
        assertTrue(x.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + x.getMessage());
    }

    private static void process(Transaction tx, StateReader state) {
        rejectedBy(tx, state, BLOCK);
    }

    private static void rejectedBy(Transaction tx, StateReader state, BlockEnv block) {
        TransactionProcessor.execute(new Evm(), tx, SENDER, block, state, OSAKA, null);
    }

    @Test void theProcessorFollowsCheckTransaction() {
        // The case from issue 13 (EEST max_blobs_per_tx_fork_transition): seven blobs and a nonce one too high.
        rejected("too many blobs in one transaction: 7", () -> process(blobTx(7, 6).sign(KEY), RICH));
        // The block's gas before the nonce.
        BlockEnv small = new BlockEnv(Address.ZERO, 1, 1, 20_000, BASE_FEE, UInt256.ZERO, UInt256.ONE, UInt256.ONE);
        rejected("gas limit exceeds the block gas limit", () -> rejectedBy(feeTx(9).sign(KEY), RICH, small));
        // The block's blob gas (Osaka: 9 blobs) before the fee cap.
        rejected("too many blobs: 10", () -> process(blobTx(10, 5).maxFeePerGas(UInt256.ONE).maxPriorityFeePerGas(UInt256.ONE).sign(KEY), RICH));
        // The fee cap against the base fee before the blob checks and the nonce.
        rejected("max fee per gas 0x1 below base fee 0x7", () -> process(blobTx(7, 9).maxFeePerGas(UInt256.ONE).maxPriorityFeePerGas(UInt256.ONE).sign(KEY), RICH));
        // The blob fee before the nonce.
        rejected("max fee per blob gas below blob base fee", () -> process(blobTx(1, 9).maxFeePerBlobGas(UInt256.ZERO).sign(KEY), RICH));
        // The nonce before the balance.
        rejected("nonce too high", () -> process(feeTx(6).sign(KEY), sender(UInt256.ZERO, new byte[0])));
        rejected("nonce too low", () -> process(feeTx(4).sign(KEY), sender(UInt256.ZERO, new byte[0])));
        // The balance before the sender's code (EIP-3607).
        rejected("insufficient funds", () -> process(feeTx(5).sign(KEY), sender(UInt256.ZERO, new byte[] {0x60, 0x00})));
        rejected("sender is not an externally owned account", () -> process(feeTx(5).sign(KEY), sender(UInt256.of(1L << 62), new byte[] {0x60, 0x00})));
        // The nonce limit (validate_transaction) before everything in check_transaction.
        rejected("nonce has max value", () -> rejectedBy(feeTx(-1L).sign(KEY), RICH, small));
    }

    @Test void validateFollowsValidateTransactionThenRecoverSender() {
        // Intrinsic gas before the nonce limit, which comes before the signature.
        rejected("gas limit 20999 below intrinsic gas", () -> feeTx(-1L).gasLimit(20_999).sign(KEY).validate(Fork.OSAKA, 1));
        rejected("nonce 2^64-1 is reserved", () -> feeTx(-1L).sign(KEY).validate(Fork.OSAKA, 2));
        // The EIP-7825 cap before the chain id (recover_sender).
        rejected("gas limit 16777217 exceeds the cap", () -> feeTx(0).gasLimit((1L << 24) + 1).sign(KEY).validate(Fork.OSAKA, 2));
        // The chain id before the fee-cap order and the blob hashes.
        rejected("chain id 0x1, expected 0x2", () -> blobTx(1, 0).maxPriorityFeePerGas(UInt256.of(11))
                .blobVersionedHashes(List.of(Hash.ZERO)).sign(KEY).validate(Fork.OSAKA, 2));
        // The fee-cap order before the blob hashes.
        rejected("maxPriorityFeePerGas 0xb exceeds maxFeePerGas 0xa", () -> blobTx(1, 0).maxPriorityFeePerGas(UInt256.of(11))
                .blobVersionedHashes(List.of(Hash.ZERO)).sign(KEY).validate(Fork.OSAKA, 1));
        rejected("blob transaction without blobs", () -> blobTx(0, 0).sign(KEY).validate(Fork.OSAKA, 1));
    }
}
