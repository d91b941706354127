package dev.lanes.evm.interpreter;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.TxEnv;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.List;

/** An empty state, a plain block and a plain transaction, for tests that run code directly on an {@link Evm}. */
final class EmptyWorld {
    private EmptyWorld() {}

    static final StateReader STATE = new StateReader() {
        @Override public AccountInfo account(Address address) { return null; }
        @Override public byte[] code(Hash codeHash) { throw new IllegalStateException(); }
        @Override public UInt256 storage(Address address, UInt256 key) { return UInt256.ZERO; }
        @Override public Hash blockHash(long number) { return Hash.ZERO; }
    };
    static final BlockEnv BLOCK = new BlockEnv(Address.ZERO, 1, 1, 30_000_000, UInt256.ONE, UInt256.ZERO,
            UInt256.ONE, UInt256.ONE);
    static final TxEnv TX = new TxEnv(Address.ZERO, UInt256.ONE, List.of());

    /** Resets {@code evm} onto a fresh journal over the empty state, with {@code tracer} (null for none). */
    static Evm reset(Evm evm, ForkRules rules, Tracer tracer) {
        evm.reset(rules, new Journal(STATE, rules), BLOCK, TX, tracer);
        return evm;
    }
}
