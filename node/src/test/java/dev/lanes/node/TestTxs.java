package dev.lanes.node;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import java.util.List;

/** Signed transactions from the development accounts, for the tests. */
final class TestTxs {
    static final List<DevAccounts.Account> ACCOUNTS = DevAccounts.derive(DevAccounts.TEST_MNEMONIC, 10);
    static final long CHAIN_ID = NodeConfig.DEFAULT_CHAIN_ID;
    static final UInt256 GWEI = UInt256.of(1_000_000_000L);

    private TestTxs() {}

    static Transaction transfer(int from, int to, long nonce, long maxFeeGwei, long tipGwei, UInt256 value) {
        return Transaction.builder(TxType.DYNAMIC_FEE).chainId(CHAIN_ID).nonce(nonce).gasLimit(21_000)
                .maxFeePerGas(GWEI.mul(maxFeeGwei)).maxPriorityFeePerGas(GWEI.mul(tipGwei))
                .to(ACCOUNTS.get(to).address()).value(value).sign(ACCOUNTS.get(from).privateKey());
    }

    static Transaction transfer(int from, int to, long nonce) {
        return transfer(from, to, nonce, 10, 1, UInt256.of(1000));
    }

    static Address address(int i) {
        return ACCOUNTS.get(i).address();
    }
}
