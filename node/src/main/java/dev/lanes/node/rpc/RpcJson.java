package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.Log;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Receipt;
import dev.lanes.node.Block;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;

/**
 * The JSON shapes of blocks, transactions, receipts and logs, field for field as geth returns them: quantities
 * as minimal 0x-hex, data as 0x-hex, absent values as JSON null.
 */
final class RpcJson {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RpcJson() {}

    static String qty(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String qty(UInt256 v) {
        return v.toHex();
    }

    static String hex(byte[] b) {
        return Hex.prefixed(b);
    }

    static ObjectNode block(Block b, boolean fullTransactions) {
        BlockHeader h = b.header();
        ObjectNode o = F.objectNode();
        o.put("hash", b.hash().toString());
        o.put("parentHash", h.parentHash().toString());
        o.put("sha3Uncles", h.ommersHash().toString());
        o.put("miner", h.coinbase().toString());
        o.put("stateRoot", h.stateRoot().toString());
        o.put("transactionsRoot", h.transactionsRoot().toString());
        o.put("receiptsRoot", h.receiptsRoot().toString());
        o.put("logsBloom", hex(h.logsBloom()));
        o.put("difficulty", qty(h.difficulty()));
        o.put("totalDifficulty", "0x0");
        o.put("number", qty(h.number()));
        o.put("gasLimit", qty(h.gasLimit()));
        o.put("gasUsed", qty(h.gasUsed()));
        o.put("timestamp", qty(h.timestamp()));
        o.put("extraData", hex(h.extraData()));
        o.put("mixHash", h.mixHash().toString());
        o.put("nonce", String.format("0x%016x", h.nonce()));
        o.put("baseFeePerGas", qty(h.baseFee()));
        o.put("withdrawalsRoot", h.withdrawalsRoot().toString());
        o.put("blobGasUsed", qty(h.blobGasUsed()));
        o.put("excessBlobGas", qty(h.excessBlobGas()));
        o.put("parentBeaconBlockRoot", h.parentBeaconBlockRoot().toString());
        o.put("requestsHash", h.requestsHash().toString());
        o.put("size", qty(b.size()));
        ArrayNode txs = o.putArray("transactions");
        for (int i = 0; i < b.transactions().size(); i++) {
            if (fullTransactions) txs.add(transaction(b.transactions().get(i), b.senders().get(i), b, i));
            else txs.add(b.transactions().get(i).hash().toString());
        }
        o.putArray("uncles");
        o.putArray("withdrawals");
        return o;
    }

    /**
     * A header as geth's {@code newHeads} subscription sends it: the block's fields without the body ones
     * ({@code transactions}, {@code uncles}, {@code withdrawals}) and without {@code size} and {@code totalDifficulty}.
     */
    static ObjectNode header(Block b) {
        ObjectNode o = block(b, false);
        o.remove(java.util.List.of("transactions", "uncles", "withdrawals", "size", "totalDifficulty"));
        return o;
    }

    /** A transaction; {@code block} null for one still in the pool. */
    static ObjectNode transaction(Transaction tx, Address from, Block block, int index) {
        ObjectNode o = F.objectNode();
        o.put("type", qty(tx.type().id));
        o.put("chainId", tx.chainId() == null ? null : qty(tx.chainId()));
        o.put("nonce", qty(tx.nonce()));
        o.put("gas", qty(tx.gasLimit()));
        if (tx.type() == TxType.LEGACY || tx.type() == TxType.ACCESS_LIST) {
            o.put("gasPrice", qty(tx.gasPrice()));
        } else {
            o.put("maxFeePerGas", qty(tx.maxFeePerGas()));
            o.put("maxPriorityFeePerGas", qty(tx.maxPriorityFeePerGas()));
            // geth: the effective price once mined, the fee cap while pending
            o.put("gasPrice", qty(block == null ? tx.maxFeePerGas() : effectivePrice(tx, block.header().baseFee())));
        }
        o.put("hash", tx.hash().toString());
        o.put("input", hex(tx.unsafeData()));
        o.put("to", tx.to() == null ? null : tx.to().toString());
        o.put("from", from.toString());
        o.put("value", qty(tx.value()));
        if (tx.type() != TxType.LEGACY) {
            ArrayNode al = o.putArray("accessList");
            for (AccessListEntry e : tx.accessList()) {
                ObjectNode entry = al.addObject();
                entry.put("address", e.address().toString());
                ArrayNode keys = entry.putArray("storageKeys");
                for (Hash k : e.storageKeys()) keys.add(k.toString());
            }
        }
        if (tx.type() == TxType.BLOB) {
            o.put("maxFeePerBlobGas", qty(tx.maxFeePerBlobGas()));
            ArrayNode hashes = o.putArray("blobVersionedHashes");
            for (Hash h : tx.blobVersionedHashes()) hashes.add(h.toString());
        }
        if (tx.type() == TxType.SET_CODE) {
            ArrayNode auths = o.putArray("authorizationList");
            for (dev.lanes.evm.tx.Authorization a : tx.authorizationList()) {
                ObjectNode e = auths.addObject();
                e.put("chainId", qty(a.chainId()));
                e.put("address", a.address().toString());
                e.put("nonce", qty(a.nonce()));
                e.put("yParity", qty(a.yParity()));
                e.put("r", qty(a.r()));
                e.put("s", qty(a.s()));
            }
        }
        o.put("v", qty(tx.v()));
        o.put("r", qty(tx.r()));
        o.put("s", qty(tx.s()));
        if (tx.type() != TxType.LEGACY) o.put("yParity", qty(tx.v()));
        o.put("blockHash", block == null ? null : block.hash().toString());
        o.put("blockNumber", block == null ? null : qty(block.number()));
        o.put("transactionIndex", block == null ? null : qty(index));
        return o;
    }

    static UInt256 effectivePrice(Transaction tx, UInt256 baseFee) {
        UInt256 room = tx.maxFeePerGas().sub(baseFee);
        UInt256 tip = tx.maxPriorityFeePerGas().lessThan(room) ? tx.maxPriorityFeePerGas() : room;
        return baseFee.add(tip);
    }

    static ObjectNode receipt(Block b, int index) {
        Transaction tx = b.transactions().get(index);
        Receipt r = b.receipts().get(index);
        Address from = b.senders().get(index);
        ObjectNode o = F.objectNode();
        o.put("type", qty(tx.type().id));
        o.put("status", qty(r.status()));
        o.put("cumulativeGasUsed", qty(r.cumulativeGasUsed()));
        o.put("logsBloom", hex(r.bloom()));
        o.set("logs", logs(b, index, firstLogIndex(b, index)));
        o.put("transactionHash", tx.hash().toString());
        o.put("transactionIndex", qty(index));
        o.put("blockHash", b.hash().toString());
        o.put("blockNumber", qty(b.number()));
        o.put("from", from.toString());
        o.put("to", tx.to() == null ? null : tx.to().toString());
        o.put("gasUsed", qty(r.gasUsed()));
        // geth names the address a creation would have, even when it failed.
        o.put("contractAddress", tx.isCreate() ? Evm.createAddress(from, tx.nonce()).toString() : null);
        o.put("effectiveGasPrice", qty(effectivePrice(tx, b.header().baseFee())));
        if (tx.type() == TxType.BLOB) {
            long blobGas = tx.blobVersionedHashes().size() * dev.lanes.evm.tx.TransactionProcessor.GAS_PER_BLOB;
            o.put("blobGasUsed", qty(blobGas));
            o.put("blobGasPrice", qty(dev.lanes.evm.BlobGas.baseFee(b.header().excessBlobGas(),
                    dev.lanes.node.Chain.RULES.blobBaseFeeUpdateFraction)));
        }
        return o;
    }

    /** The block-wide index of the first log of transaction {@code index}. */
    static int firstLogIndex(Block b, int index) {
        int n = 0;
        for (int i = 0; i < index; i++) n += b.receipts().get(i).logs().size();
        return n;
    }

    static ArrayNode logs(Block b, int txIndex, int firstLogIndex) {
        ArrayNode out = F.arrayNode();
        int li = firstLogIndex;
        for (Log l : b.receipts().get(txIndex).logs()) out.add(log(b, txIndex, li++, l));
        return out;
    }

    static ObjectNode log(Block b, int txIndex, int logIndex, Log l) {
        ObjectNode o = F.objectNode();
        o.put("address", l.address().toString());
        ArrayNode topics = o.putArray("topics");
        for (Hash t : l.topics()) topics.add(t.toString());
        o.put("data", hex(l.data()));
        o.put("blockNumber", qty(b.number()));
        o.put("transactionHash", b.transactions().get(txIndex).hash().toString());
        o.put("transactionIndex", qty(txIndex));
        o.put("blockHash", b.hash().toString());
        o.put("logIndex", qty(logIndex));
        o.put("removed", false);
        return o;
    }
}
