package dev.lanes.node.trace;

import dev.lanes.evm.Opcodes;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Frame;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Collects the accounts and slots a run touches, for {@code eth_createAccessList}: the storage keys of SLOAD
 * and SSTORE (in the running contract), and the accounts named by BALANCE, EXTCODESIZE, EXTCODECOPY,
 * EXTCODEHASH, the CALL family and SELFDESTRUCT. Accounts the transaction warms anyway are left out, as geth
 * does: the sender, the recipient and the precompiles (the {@code excluded} predicate); their slots stay.
 */
public final class AccessListTracer implements Tracer {
    private final Predicate<Address> excluded;
    private final Map<Address, Set<Hash>> touched = new LinkedHashMap<>();

    public AccessListTracer(Predicate<Address> excluded, List<AccessListEntry> start) {
        this.excluded = excluded;
        for (AccessListEntry e : start) touched.computeIfAbsent(e.address(), a -> new LinkedHashSet<>()).addAll(e.storageKeys());
    }

    @Override public void step(Frame f, int pc, int op, long gas, int depth, long refund) {
        int n = f.stackSize();
        switch (op) {
            case Opcodes.SLOAD, Opcodes.SSTORE -> {
                if (n >= 1) touched.computeIfAbsent(f.address, a -> new LinkedHashSet<>()).add(Hash.adopt(f.peek(0).toBytes()));
            }
            case Opcodes.BALANCE, Opcodes.EXTCODESIZE, Opcodes.EXTCODECOPY, Opcodes.EXTCODEHASH, Opcodes.SELFDESTRUCT -> {
                if (n >= 1) account(f.peek(0));
            }
            case Opcodes.CALL, Opcodes.CALLCODE, Opcodes.DELEGATECALL, Opcodes.STATICCALL -> {
                if (n >= 2) account(f.peek(1));
            }
            default -> {}
        }
    }

    private void account(UInt256 word) {
        Address a = Address.fromWord(word.toBytes(), 0);
        if (!excluded.test(a)) touched.computeIfAbsent(a, x -> new LinkedHashSet<>());
    }

    /** The access list: the touched accounts that are not excluded (with their slots), in the order first seen. */
    public List<AccessListEntry> accessList() {
        List<AccessListEntry> out = new ArrayList<>();
        touched.forEach((a, slots) -> {
            if (!excluded.test(a) || !slots.isEmpty()) out.add(new AccessListEntry(a, new ArrayList<>(slots)));
        });
        return out;
    }
}
