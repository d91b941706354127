package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TrieRoot#ordered} on real data: the transactions root of each of the 47 mainnet blocks in
 * ../shared/mainnet-blocks (up to 1,346 transactions, all four transaction types) and the withdrawals root
 * of the Shanghai ones. The encodings are written out here from the fields of each type (EIP-2718,
 * EIP-2930, EIP-1559, EIP-4844, EIP-4895); they exist only to feed the trie.
 */
class MainnetRootsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> transactionsAndWithdrawalsRoots() throws IOException {
        Path dir = SharedData.folder("mainnet-blocks");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> blocks = Files.list(dir)) {
            blocks.map(p -> p.resolve("block.json")).filter(Files::isRegularFile).sorted().forEach(file ->
                    tests.add(DynamicTest.dynamicTest(file.getParent().getFileName().toString(), () -> check(file))));
        }
        assertTrue(tests.size() >= 40, "expected the mainnet blocks, found " + tests.size());
        return tests.stream();
    }

    private static void check(Path file) throws IOException {
        JsonNode block = JSON.readTree(file.toFile());
        List<byte[]> txs = new ArrayList<>();
        for (JsonNode tx : block.get("transactions")) txs.add(transaction(tx));
        assertEquals(Hash.fromHex(block.get("transactionsRoot").asText()), TrieRoot.ordered(txs), "transactionsRoot");

        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        for (int i = 0; i < txs.size(); i++) trie.put(Rlp.encodeScalar(i), txs.get(i));
        assertEquals(Hash.fromHex(block.get("transactionsRoot").asText()), trie.rootHash(), "transactionsRoot, mutable trie");

        if (block.has("withdrawalsRoot")) {
            List<byte[]> withdrawals = new ArrayList<>();
            for (JsonNode w : block.get("withdrawals")) {
                withdrawals.add(Rlp.encodeList(scalar(w, "index"), scalar(w, "validatorIndex"), string(w, "address"), scalar(w, "amount")));
            }
            assertEquals(Hash.fromHex(block.get("withdrawalsRoot").asText()), TrieRoot.ordered(withdrawals), "withdrawalsRoot");
        }
    }

    /** The trie value of a transaction: rlp(fields) for legacy, type byte || rlp(fields) for typed ones. */
    private static byte[] transaction(JsonNode tx) {
        int type = tx.has("type") ? Integer.decode(tx.get("type").asText()) : 0;
        byte[] to = tx.get("to").isNull() ? Bytes.EMPTY : Hex.decode(tx.get("to").asText());
        byte[] toItem = Rlp.encodeString(to);
        List<byte[]> f = new ArrayList<>();
        switch (type) {
            case 0 -> {
                f.addAll(List.of(scalar(tx, "nonce"), scalar(tx, "gasPrice"), scalar(tx, "gas"), toItem, scalar(tx, "value"),
                        string(tx, "input"), scalar(tx, "v"), scalar(tx, "r"), scalar(tx, "s")));
                return Rlp.encodeList(f.toArray(byte[][]::new));
            }
            case 1 -> f.addAll(List.of(scalar(tx, "chainId"), scalar(tx, "nonce"), scalar(tx, "gasPrice"), scalar(tx, "gas"),
                    toItem, scalar(tx, "value"), string(tx, "input"), accessList(tx)));
            case 2 -> f.addAll(List.of(scalar(tx, "chainId"), scalar(tx, "nonce"), scalar(tx, "maxPriorityFeePerGas"),
                    scalar(tx, "maxFeePerGas"), scalar(tx, "gas"), toItem, scalar(tx, "value"), string(tx, "input"), accessList(tx)));
            case 3 -> {
                f.addAll(List.of(scalar(tx, "chainId"), scalar(tx, "nonce"), scalar(tx, "maxPriorityFeePerGas"),
                        scalar(tx, "maxFeePerGas"), scalar(tx, "gas"), toItem, scalar(tx, "value"), string(tx, "input"),
                        accessList(tx), scalar(tx, "maxFeePerBlobGas")));
                List<byte[]> hashes = new ArrayList<>();
                for (JsonNode h : tx.get("blobVersionedHashes")) hashes.add(Rlp.encodeString(Hex.decode(h.asText())));
                f.add(Rlp.encodeList(hashes.toArray(byte[][]::new)));
            }
            default -> throw new AssertionError("transaction type " + type);
        }
        f.add(scalar(tx, tx.has("yParity") ? "yParity" : "v"));
        f.add(scalar(tx, "r"));
        f.add(scalar(tx, "s"));
        return Bytes.concat(new byte[] {(byte) type}, Rlp.encodeList(f.toArray(byte[][]::new)));
    }

    private static byte[] accessList(JsonNode tx) {
        List<byte[]> entries = new ArrayList<>();
        for (JsonNode e : tx.get("accessList")) {
            List<byte[]> keys = new ArrayList<>();
            for (JsonNode k : e.get("storageKeys")) keys.add(Rlp.encodeString(Hex.decode(k.asText())));
            entries.add(Rlp.encodeList(string(e, "address"), Rlp.encodeList(keys.toArray(byte[][]::new))));
        }
        return Rlp.encodeList(entries.toArray(byte[][]::new));
    }

    private static byte[] scalar(JsonNode node, String field) {
        return Rlp.encodeString(Bytes.trimLeadingZeros(Hex.decode(node.get(field).asText())));
    }

    private static byte[] string(JsonNode node, String field) {
        return Rlp.encodeString(Hex.decode(node.get(field).asText()));
    }
}
