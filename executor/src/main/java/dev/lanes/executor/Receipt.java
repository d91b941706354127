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
    /**
     * A writer per thread, reused: encoding a receipt allocates only its result. A writer that grew past
     * {@link #KEEP_BYTES} for a receipt with large logs is dropped rather than kept.
     */
    private static final ThreadLocal<RlpWriter> WRITER = ThreadLocal.withInitial(() -> new RlpWriter(1024));
    private static final int KEEP_BYTES = 64 * 1024;

    /** The consensus encoding: {@code rlp([status, cumulativeGas, bloom, logs])}, typed per EIP-2718. */
    public byte[] encoded() {
        RlpWriter w = WRITER.get().reset();
        if (type != TxType.LEGACY) w.writeRawByte(type.id);
        w.startList();
        if (postState != null) w.writeBytes(postState.unsafeBytes());
        else w.writeLong(status);
        w.writeLong(cumulativeGasUsed);
        w.writeBytes(bloom);
        Log.writeList(w, logs);
        w.endList();
        byte[] out = w.toByteArray();
        if (w.capacity() > KEEP_BYTES) WRITER.remove();
        return out;
    }
}
