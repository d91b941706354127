package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.precompile.KzgTrustedSetup;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.node.BlobSidecar;
import dev.lanes.node.DevAccounts;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpItem;
import ethereum.ckzg4844.CKZG4844JNI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blob transactions in the network form, both wrapper versions, their proofs verified with c-kzg. */
class BlobTxTest {
    static final UInt256 GWEI = UInt256.of(1_000_000_000L);
    static Node node;
    static RpcClient rpc;
    static byte[] blob, commitment;

    @BeforeAll static void start() throws Exception {
        assertTrue(KzgTrustedSetup.ensureLoaded());
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null), null);
        rpc = new RpcClient(node.port());
        blob = new byte[CKZG4844JNI.BYTES_PER_BLOB];
        // Field elements below the BLS modulus: the first byte of each 32-byte element stays zero.
        for (int i = 0; i < 4096; i++) blob[i * 32 + 31] = (byte) i;
        commitment = CKZG4844JNI.blobToKzgCommitment(blob);
    }

    @AfterAll static void stop() {
        node.close();
    }

    static Transaction blobTx(DevAccounts.Account from, Hash versionedHash) throws Exception {
        long nonce = Long.decode(rpc.result("eth_getTransactionCount", from.address().toString(), "pending").asText());
        return Transaction.builder(TxType.BLOB).chainId(31337).nonce(nonce).gasLimit(21_000).maxFeePerGas(GWEI.mul(10))
                .maxPriorityFeePerGas(GWEI).to(Address.fromHex(EthApiTest.A1)).maxFeePerBlobGas(GWEI)
                .blobVersionedHashes(List.of(versionedHash)).sign(from.privateKey());
    }

    /** 0x03 || rlp([body, (version,) blobs, commitments, proofs]). */
    static String network(Transaction tx, Integer version, byte[] proofs) {
        byte[] enc = tx.encoded();
        RlpItem body = Rlp.decode(Arrays.copyOfRange(enc, 1, enc.length));
        List<RlpItem> proofItems = new ArrayList<>();
        for (int at = 0; at < proofs.length; at += 48) proofItems.add(RlpItem.of(Arrays.copyOfRange(proofs, at, at + 48)));
        List<RlpItem> items = new ArrayList<>(List.of(body));
        if (version != null) items.add(RlpItem.of(new byte[] {version.byteValue()}));
        items.add(RlpItem.list(RlpItem.of(blob)));
        items.add(RlpItem.list(RlpItem.of(commitment)));
        items.add(RlpItem.list(proofItems));
        byte[] rlp = Rlp.encode(RlpItem.list(items));
        byte[] out = new byte[rlp.length + 1];
        out[0] = 3;
        System.arraycopy(rlp, 0, out, 1, rlp.length);
        return Hex.prefixed(out);
    }

    @Test void blobProofWrapper() throws Exception {
        Transaction tx = blobTx(node.accounts().get(1), BlobSidecar.versionedHash(commitment));
        byte[] proof = CKZG4844JNI.computeBlobKzgProof(blob, commitment);
        // The canonical form alone (no blobs) and a wrong proof are refused.
        assertEquals(-32602, rpc.call("eth_sendRawTransaction", Hex.prefixed(tx.encoded())).get("error").get("code").asInt());
        byte[] bad = CKZG4844JNI.computeBlobKzgProof(blob, CKZG4844JNI.blobToKzgCommitment(new byte[CKZG4844JNI.BYTES_PER_BLOB]));
        JsonNode err = rpc.call("eth_sendRawTransaction", network(tx, null, bad)).get("error");
        assertEquals(-32602, err.get("code").asInt(), err.toString());
        assertEquals(tx.hash().toString(), rpc.result("eth_sendRawTransaction", network(tx, null, proof)).asText());
        JsonNode r = rpc.result("eth_getTransactionReceipt", tx.hash().toString());
        assertEquals("0x3", r.get("type").asText());
        assertEquals("0x1", r.get("status").asText());
        assertEquals("0x20000", r.get("blobGasUsed").asText());
        assertEquals("0x20000", rpc.result("eth_getBlockByHash", r.get("blockHash").asText(), false).get("blobGasUsed").asText());
        JsonNode got = rpc.result("eth_getTransactionByHash", tx.hash().toString());
        assertEquals(BlobSidecar.versionedHash(commitment).toString(), got.get("blobVersionedHashes").get(0).asText());
        assertEquals("0x3b9aca00", got.get("maxFeePerBlobGas").asText());
    }

    @Test void cellProofWrapper() throws Exception {
        Transaction tx = blobTx(node.accounts().get(2), BlobSidecar.versionedHash(commitment));
        byte[] cellProofs = CKZG4844JNI.computeCellsAndKzgProofs(blob).getProofs();
        assertEquals(128 * 48, cellProofs.length);
        // A blob proof count in a version-1 wrapper is refused; so is a hash that does not match the commitment.
        assertEquals(-32602, rpc.call("eth_sendRawTransaction", network(tx, 1, CKZG4844JNI.computeBlobKzgProof(blob, commitment)))
                .get("error").get("code").asInt());
        Transaction wrongHash = blobTx(node.accounts().get(2), Hash.adopt(Hex.decode("01" + "00".repeat(31))));
        assertEquals(-32602, rpc.call("eth_sendRawTransaction", network(wrongHash, 1, cellProofs)).get("error").get("code").asInt());
        byte[] tampered = cellProofs.clone();
        System.arraycopy(cellProofs, 0, tampered, 48, 48); // cell 1 with cell 0's proof
        assertEquals(-32602, rpc.call("eth_sendRawTransaction", network(tx, 1, tampered)).get("error").get("code").asInt());
        assertEquals(tx.hash().toString(), rpc.result("eth_sendRawTransaction", network(tx, 1, cellProofs)).asText());
        assertEquals("0x1", rpc.result("eth_getTransactionReceipt", tx.hash().toString()).get("status").asText());
    }
}
