package dev.lanes.executor;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.rlp.RlpWriter;

/** A validator withdrawal (EIP-4895, Shanghai): {@code amountGwei} is in Gwei. The longs are unsigned 64-bit. */
public record Withdrawal(long index, long validator, Address address, long amountGwei) {
    public Withdrawal {
        if (address == null) throw new IllegalArgumentException("withdrawal address is missing");
    }

    /** Appends {@code rlp([index, validatorIndex, address, amount])}. */
    public RlpWriter writeTo(RlpWriter w) {
        return w.startList().writeLong(index).writeLong(validator).writeBytes(address.unsafeBytes()).writeLong(amountGwei).endList();
    }
}
