package dev.lanes.executor;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.rlp.RlpWriter;
import java.util.List;

/**
 * The RLP encoding of a whole block, {@code rlp([header, transactions, ommers])} with {@code withdrawals}
 * appended from Shanghai (the blocks whose header has a {@code withdrawalsRoot}). Its length is the block's
 * {@code size} as JSON-RPC reports it, and what EIP-7934 caps.
 *
 * <p>In the transaction list a legacy transaction is its RLP list as is; a typed one (EIP-2718) is an RLP
 * byte string holding {@code type || payload}, as in the transactions trie.
 */
public final class BlockRlp {
    private BlockRlp() {}

    /**
     * @param ommers the uncle headers (their hashes are not enough: the encoding holds the headers)
     * @param withdrawals required exactly when the header has a {@code withdrawalsRoot}; may be null otherwise
     */
    public static byte[] encode(BlockHeader header, List<Transaction> transactions, List<BlockHeader> ommers,
                                List<Withdrawal> withdrawals) {
        if (header == null) throw new IllegalArgumentException("block header is missing");
        if (transactions == null) throw new IllegalArgumentException("transaction list is missing");
        if (ommers == null) throw new IllegalArgumentException("ommer list is missing");
        boolean shanghai = header.withdrawalsRoot() != null;
        if (shanghai && withdrawals == null)
            throw new IllegalArgumentException("the header has a withdrawalsRoot but no withdrawal list was given");
        if (!shanghai && withdrawals != null && !withdrawals.isEmpty())
            throw new IllegalArgumentException("withdrawals given for a block whose header has no withdrawalsRoot");
        RlpWriter w = new RlpWriter(1 << 16);
        w.startList();
        header.writeTo(w);
        w.startList();
        for (Transaction tx : transactions) {
            byte[] enc = tx.encoded();
            if (tx.type() == TxType.LEGACY) w.writeRaw(enc);
            else w.writeBytes(enc);
        }
        w.endList();
        w.startList();
        for (BlockHeader o : ommers) o.writeTo(w);
        w.endList();
        if (shanghai) {
            w.startList();
            for (Withdrawal wd : withdrawals) wd.writeTo(w);
            w.endList();
        }
        return w.endList().toByteArray();
    }
}
