package dev.lanes.node.store;

import dev.lanes.evm.Log;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Bloom;
import dev.lanes.executor.Receipt;
import dev.lanes.executor.chain.BlockDecoder;
import dev.lanes.node.Block;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpReader;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layouts of {@link RocksChainStore}'s values, all RLP so that one reader checks every length. Headers
 * and transactions use their consensus encodings (the block hash is recomputed from the stored header, so a
 * corrupted header cannot pass for the block it replaced); bodies add the recovered senders, since recovering
 * them again costs an ecrecover per transaction on every read; receipts keep the fields the consensus encoding
 * drops (type, gas used), and their bloom is recomputed from the logs rather than stored (256 bytes each).
 */
final class StoreCodec {
    private StoreCodec() {}

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        Bytes.putLong(b, 0, v);
        return b;
    }

    static long u64(byte[] b) {
        if (b.length != 8) throw new IllegalArgumentException("expected an 8-byte number, found " + b.length + " bytes");
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xff);
        return v;
    }

    static BlockHeader header(byte[] rlp) {
        RlpReader r = new RlpReader(rlp);
        BlockHeader h = BlockDecoder.header(r);
        r.requireEnd();
        return h;
    }

    /** RLP [size, [tx...], [sender...]]. */
    static byte[] body(Block b) {
        RlpWriter w = new RlpWriter(256 + b.transactions().size() * 160);
        w.startList().writeLong(b.size()).startList();
        for (Transaction tx : b.transactions()) w.writeBytes(tx.encoded());
        w.endList().startList();
        for (Address a : b.senders()) w.writeBytes(a.unsafeBytes());
        return w.endList().endList().toByteArray();
    }

    /** RLP [[type, status, cumulativeGas, gasUsed, logs]...]. Pre-Byzantium state roots do not occur on this chain. */
    static byte[] receipts(List<Receipt> receipts) {
        RlpWriter w = new RlpWriter(64 + receipts.size() * 64);
        w.startList();
        for (Receipt rc : receipts) {
            w.startList().writeLong(rc.type().id).writeLong(rc.status()).writeLong(rc.cumulativeGasUsed())
                    .writeLong(rc.gasUsed());
            Log.writeList(w, rc.logs());
            w.endList();
        }
        return w.endList().toByteArray();
    }

    static Block block(byte[] headerRlp, byte[] body, byte[] receipts) {
        BlockHeader h = header(headerRlp);
        RlpReader r = new RlpReader(body);
        int end = r.enterList();
        long size = r.readLong();
        List<Transaction> txs = new ArrayList<>();
        int te = r.enterList();
        while (r.hasMore(te)) txs.add(Transaction.decode(r.readBytes()));
        r.leaveList(te);
        List<Address> senders = new ArrayList<>();
        int se = r.enterList();
        while (r.hasMore(se)) senders.add(r.readAddress());
        r.leaveList(se);
        r.leaveList(end);
        r.requireEnd();
        return new Block(h, h.hash(), txs, senders, receiptList(receipts), size);
    }

    private static List<Receipt> receiptList(byte[] rlp) {
        RlpReader r = new RlpReader(rlp);
        List<Receipt> out = new ArrayList<>();
        int end = r.enterList();
        while (r.hasMore(end)) {
            int re = r.enterList();
            TxType type = txType(r.readLong());
            int status = (int) r.readLong();
            long cumulative = r.readLong(), gasUsed = r.readLong();
            List<Log> logs = new ArrayList<>();
            int le = r.enterList();
            while (r.hasMore(le)) {
                int e = r.enterList();
                Address a = r.readAddress();
                List<Hash> topics = new ArrayList<>();
                int tEnd = r.enterList();
                while (r.hasMore(tEnd)) topics.add(r.readHash());
                r.leaveList(tEnd);
                byte[] data = r.readBytes();
                r.leaveList(e);
                logs.add(new Log(a, List.copyOf(topics), data));
            }
            r.leaveList(le);
            r.leaveList(re);
            out.add(new Receipt(type, status, null, cumulative, gasUsed, Bloom.of(logs), List.copyOf(logs)));
        }
        r.leaveList(end);
        r.requireEnd();
        return out;
    }

    private static TxType txType(long id) {
        for (TxType t : TxType.values()) if (t.id == id) return t;
        throw new IllegalArgumentException("unknown transaction type " + id);
    }

    /** A tx-index value: RLP [block number, index]. */
    static byte[] txLocation(Block.TxLocation loc) {
        return new RlpWriter().startList().writeLong(loc.blockNumber()).writeLong(loc.index()).endList().toByteArray();
    }

    static Block.TxLocation txLocation(byte[] v) {
        RlpReader r = new RlpReader(v);
        int end = r.enterList();
        Block.TxLocation loc = new Block.TxLocation(r.readLong(), (int) r.readLong());
        r.leaveList(end);
        r.requireEnd();
        return loc;
    }

    /** A flat account value: RLP [nonce, balance, codeHash] (the storage root is recomputed, never stored). */
    static byte[] account(long nonce, UInt256 balance, Hash codeHash) {
        return new RlpWriter().startList().writeLong(nonce).writeUInt256(balance).writeBytes(codeHash.unsafeBytes())
                .endList().toByteArray();
    }

    record Account(long nonce, UInt256 balance, Hash codeHash) {}

    static Account account(byte[] v) {
        RlpReader r = new RlpReader(v);
        int end = r.enterList();
        Account a = new Account(r.readLong(), r.readUInt256(), r.readHash());
        r.leaveList(end);
        r.requireEnd();
        return a;
    }

    /** A storage key: address || slot, so that one account's slots are adjacent. */
    static byte[] storageKey(Address a, UInt256 slot) {
        byte[] k = new byte[Address.LENGTH + 32];
        System.arraycopy(a.unsafeBytes(), 0, k, 0, Address.LENGTH);
        System.arraycopy(slot.toBytes(), 0, k, Address.LENGTH, 32);
        return k;
    }

    /** Which flat column an undo entry restores. */
    static final int ACCOUNT = 0, STORAGE = 1;

    /** One key's value before a block: {@code value == null} means the key did not exist. */
    record UndoEntry(int kind, byte[] key, byte[] value) {}

    /** RLP [[kind, key, value]...], an empty value for "absent" (no stored value is ever empty). */
    static byte[] undo(List<UndoEntry> entries) {
        RlpWriter w = new RlpWriter(64 + entries.size() * 96);
        w.startList();
        for (UndoEntry e : entries)
            w.startList().writeLong(e.kind).writeBytes(e.key).writeBytes(e.value == null ? Bytes.EMPTY : e.value).endList();
        return w.endList().toByteArray();
    }

    static List<UndoEntry> undo(byte[] rlp) {
        RlpReader r = new RlpReader(rlp);
        List<UndoEntry> out = new ArrayList<>();
        int end = r.enterList();
        while (r.hasMore(end)) {
            int e = r.enterList();
            int kind = (int) r.readLong();
            byte[] key = r.readBytes();
            byte[] value = r.readBytes();
            r.leaveList(e);
            if ((kind != ACCOUNT || key.length != Address.LENGTH) && (kind != STORAGE || key.length != Address.LENGTH + 32))
                throw new IllegalArgumentException("bad undo entry (kind " + kind + ", key of " + key.length + " bytes)");
            out.add(new UndoEntry(kind, key, value.length == 0 ? null : value));
        }
        r.leaveList(end);
        r.requireEnd();
        return out;
    }

    /** A whole state (the genesis one, kept for {@code earliest}): RLP [[address, nonce, balance, code, [[slot, value]...]]...]. */
    static byte[] state(WorldState s) {
        RlpWriter w = new RlpWriter();
        w.startList();
        for (Address a : s.addresses()) {
            var info = s.account(a);
            w.startList().writeBytes(a.unsafeBytes()).writeLong(info.nonce()).writeUInt256(info.balance())
                    .writeBytes(info.hasCode() ? s.code(info.codeHash()) : Bytes.EMPTY).startList();
            for (Map.Entry<UInt256, UInt256> e : s.storageOf(a).entrySet())
                w.startList().writeUInt256(e.getKey()).writeUInt256(e.getValue()).endList();
            w.endList().endList();
        }
        return w.endList().toByteArray();
    }

    static WorldState state(byte[] rlp) {
        WorldState s = new WorldState();
        RlpReader r = new RlpReader(rlp);
        int end = r.enterList();
        while (r.hasMore(end)) {
            int e = r.enterList();
            Address a = r.readAddress();
            long nonce = r.readLong();
            UInt256 balance = r.readUInt256();
            byte[] code = r.readBytes();
            Map<UInt256, UInt256> storage = new HashMap<>();
            int se = r.enterList();
            while (r.hasMore(se)) {
                int k = r.enterList();
                storage.put(r.readUInt256(), r.readUInt256());
                r.leaveList(k);
            }
            r.leaveList(se);
            r.leaveList(e);
            s.put(a, nonce, balance, code, storage);
        }
        r.leaveList(end);
        r.requireEnd();
        return s;
    }
}
