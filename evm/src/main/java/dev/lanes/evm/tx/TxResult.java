package dev.lanes.evm.tx;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.Log;
import dev.lanes.primitives.Address;
import java.util.List;

/** An included transaction's outcome: its status, gas used (after refund), logs and write set. */
public record TxResult(int status, long gasUsed, long blobGasUsed, byte[] output, Address created, List<Log> logs,
                       List<AccountChange> changes) {
    public boolean success() {
        return status == dev.lanes.evm.Status.SUCCESS;
    }
}
