package dev.lanes.executor;

import dev.lanes.evm.Log;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.rlp.RlpWriter;
import java.util.List;

/**
 * A transaction receipt. From Byzantium (EIP-658) the first field is the status; before it, an
 * intermediate state root ({@code postState}), which the executor produces only when asked
 * ({@code BlockExecutor.intermediateStateRoots}: a partial pre-state has no true root); otherwise it is null
 * there and {@link #encoded()} is not meaningful for such receipts.
 */
public record Receipt(TxType type, int status, Hash postState, long cumulativeGasUsed, long gasUsed, byte[] bloom,
                      List<Log> logs) {
    /** The consensus encoding: {@code rlp([status, cumulativeGas, bloom, logs])}, typed per EIP-2718. */
    public byte[] encoded() {
        RlpWriter w = new RlpWriter(256 + 64 + logs.size() * 128);
        w.startList();
        if (postState != null) w.writeBytes(postState.unsafeBytes());
        else w.writeLong(status);
        w.writeLong(cumulativeGasUsed);
        w.writeBytes(bloom);
        Log.writeList(w, logs);
        w.endList();
        byte[] body = w.toByteArray();
        if (type == TxType.LEGACY) return body;
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) type.id;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
