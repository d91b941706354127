package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consensus header, its RLP and hash. Outside truth: mainnet's genesis hash, and the {@code hash} field of
 * every {@code block.json} in {@code ../shared/mainnet-blocks} (47 blocks, Frontier to Cancun).
 */
class BlockHeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mainnet's genesis block as {@code eth_getBlockByNumber(0)} returns it; its hash is well known. */
    private static final String GENESIS = """
            {"difficulty": "0x400000000",
             "extraData": "0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa",
             "gasLimit": "0x1388", "gasUsed": "0x0",
             "hash": "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3",
             "logsBloom": "0x%s",
             "miner": "0x0000000000000000000000000000000000000000",
             "mixHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
             "nonce": "0x0000000000000042", "number": "0x0",
             "parentHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
             "receiptsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
             "sha3Uncles": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
             "size": "0x21c",
             "stateRoot": "0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544",
             "timestamp": "0x0", "transactions": [],
             "transactionsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
             "uncles": []}
            """.formatted("00".repeat(256));

    static ObjectNode genesisJson() throws IOException {
        return (ObjectNode) JSON.readTree(GENESIS);
    }

    @Test
    void mainnetGenesisHash() throws IOException {
        BlockHeader g = BlockHeader.fromRpc(genesisJson());
        assertEquals(Hash.fromHex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), g.hash());
        assertEquals(0x42, g.nonce());
        assertEquals(15, g.fieldCount());
        // The whole genesis block, rlp([header, [], []]), is 540 (0x21c) bytes by its "size" field.
        assertEquals(0x21c, BlockRlp.encode(g, List.of(), List.of(), null).length);
    }

    /** keccak256(rlp(header)) equals the block's {@code hash} for every block in the replay set. */
    @Test
    void everyMainnetHeaderHashesToItsBlockHash() throws IOException {
        List<Path> dirs = MainnetData.blockDirs();
        assumeTrue(!dirs.isEmpty(), "no mainnet blocks under " + MainnetData.blocksDir());
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Path d : dirs) {
            JsonNode b = JSON.readTree(d.resolve("block.json").toFile());
            BlockHeader h = BlockHeader.fromRpc(b);
            Hash expected = Hash.fromHex(b.get("hash").asText());
            if (!h.hash().equals(expected)) mismatches.add(d.getFileName() + ": " + h.hash() + ", expected " + expected);
            // The encoding decodes back to one list of the expected number of fields.
            RlpItem item = Rlp.decode(h.rlp());
            assertEquals(h.fieldCount(), ((RlpItem.Sequence) item).items().size(), d.getFileName().toString());
            checked++;
        }
        assertEquals(List.of(), mismatches);
        assertEquals(dirs.size(), checked);
        System.out.println("BlockHeaderTest: " + checked + " mainnet header hashes checked");
    }

    @Test
    void fieldCountFollowsTheFork() throws IOException {
        assumeTrue(!MainnetData.blockDirs().isEmpty(), "no mainnet blocks");
        // Frontier 15 fields; London adds baseFeePerGas; Shanghai withdrawalsRoot; Cancun blobGasUsed,
        // excessBlobGas and parentBeaconBlockRoot.
        assertEquals(15, header("46147").fieldCount());
        assertEquals(15, header("12244000").fieldCount());
        assertEquals(16, header("13217637").fieldCount());
        assertEquals(16, header("17034869").fieldCount());
        assertEquals(17, header("17666333").fieldCount());
        assertEquals(20, header("19426587").fieldCount());
    }

    @Test
    void requestsHashIsTheTwentyFirstField() throws IOException {
        assumeTrue(!MainnetData.blockDirs().isEmpty(), "no mainnet blocks");
        BlockHeader cancun = header("19934116");
        Hash requests = Hash.fromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        BlockHeader prague = withRequestsHash(cancun, requests);
        assertEquals(21, prague.fieldCount());
        List<RlpItem> items = ((RlpItem.Sequence) Rlp.decode(prague.rlp())).items();
        assertArrayEquals(requests.toArray(), ((RlpItem.ByteArray) items.get(20)).bytes());
        // The first twenty fields are the Cancun header's.
        assertEquals(((RlpItem.Sequence) Rlp.decode(cancun.rlp())).items(), items.subList(0, 20));
        assertNotEquals(cancun.hash(), prague.hash());
    }

    @Test
    void scalarsAreMinimalAndTheNonceIsEightBytes() throws IOException {
        ObjectNode j = genesisJson();
        List<RlpItem> items = ((RlpItem.Sequence) Rlp.decode(BlockHeader.fromRpc(j).rlp())).items();
        assertArrayEquals(Hex.decode("0400000000"), bytes(items.get(7)));   // difficulty 0x400000000
        assertArrayEquals(new byte[0], bytes(items.get(8)));                 // number 0: the empty string
        assertArrayEquals(Hex.decode("1388"), bytes(items.get(9)));          // gasLimit 5000
        assertArrayEquals(Hex.decode("0000000000000042"), bytes(items.get(14))); // nonce: all 8 bytes
    }

    @Test
    void parsedHeadersAreValuesAndDoNotShareArrays() throws IOException {
        BlockHeader a = BlockHeader.fromRpc(genesisJson());
        BlockHeader b = BlockHeader.fromRpc(genesisJson());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        a.extraData()[0] ^= 1;
        a.logsBloom()[0] ^= 1;
        assertEquals(a, b);
        assertEquals(Hash.fromHex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), a.hash());
    }

    @Test
    void malformedFieldsAreNamed() throws IOException {
        assertNamed("stateRoot", j -> j.remove("stateRoot"));
        assertNamed("miner", j -> j.putNull("miner"));
        assertNamed("gasUsed", j -> j.put("gasUsed", "0xzz"));
        assertNamed("gasUsed", j -> j.put("gasUsed", 5));
        assertNamed("number", j -> j.put("number", "0x" + "ff".repeat(9)));
        assertNamed("difficulty", j -> j.put("difficulty", "0x" + "01".repeat(33)));
        assertNamed("logsBloom", j -> j.put("logsBloom", "0x00"));
        assertNamed("nonce", j -> j.put("nonce", "0x42"));
        assertNamed("parentHash", j -> j.put("parentHash", "0x1234"));
        assertNamed("sha3Uncles", j -> j.putObject("sha3Uncles"));
        assertNamed("extraData", j -> j.put("extraData", "0xg0"));
        assertNamed("baseFeePerGas", j -> j.put("baseFeePerGas", "nope"));
        assertNamed("excessBlobGas", j -> j.put("baseFeePerGas", "0x7").put("withdrawalsRoot", Hash.EMPTY_TRIE.toString())
                .put("blobGasUsed", "0x0").put("excessBlobGas", "-1"));
        // A later field without the ones before it cannot be encoded.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            ObjectNode j = genesisJson();
            j.put("withdrawalsRoot", Hash.EMPTY_TRIE.toString());
            BlockHeader.fromRpc(j);
        });
        assertTrue(e.getMessage().contains("withdrawalsRoot") && e.getMessage().contains("baseFeePerGas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockHeader.fromRpc(JSON.readTree("[]")));
    }

    @Test
    void malformedBlockJsonFailsToLoadNamingTheField(@TempDir Path dir) throws IOException {
        ObjectNode j = genesisJson();
        j.put("mixHash", "0x00");
        Files.writeString(dir.resolve("block.json"), j.toString());
        Files.writeString(dir.resolve("pre_state.json"), "{}");
        IOException e = assertThrows(IOException.class, () -> MainnetBlock.load(dir));
        assertTrue(e.getMessage().contains("mixHash"), e.getMessage());

        j = genesisJson();
        j.put("baseFeePerGas", "0x7").put("withdrawalsRoot", Hash.EMPTY_TRIE.toString());
        j.putArray("withdrawals").addObject().put("index", "0x0").put("validatorIndex", "0x1")
                .put("address", "0x0000000000000000000000000000000000000001").put("amount", "0x1.5");
        Files.writeString(dir.resolve("block.json"), j.toString());
        e = assertThrows(IOException.class, () -> MainnetBlock.load(dir));
        assertTrue(e.getMessage().contains("withdrawals[0]") && e.getMessage().contains("amount"), e.getMessage());

        j = genesisJson();
        j.remove("hash");
        Files.writeString(dir.resolve("block.json"), j.toString());
        e = assertThrows(IOException.class, () -> MainnetBlock.load(dir));
        assertTrue(e.getMessage().contains("'hash'"), e.getMessage());

        j = genesisJson();
        Files.writeString(dir.resolve("block.json"), j.toString());
        MainnetBlock ok = MainnetBlock.load(dir);
        assertEquals(ok.declaredHash, ok.header.hash());
        assertEquals(0x21c, ok.declaredSize);
        assertEquals(0x21c, ok.rlp().orElseThrow().length);
    }

    @Test
    void constructorRejectsMissingFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlockHeader(Hash.ZERO,
                Hash.EMPTY_LIST, Address.ZERO, null, Hash.EMPTY_TRIE, Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 0, 0,
                0, 0, new byte[0], Hash.ZERO, 0, null, null, null, null, null, null));
        assertTrue(e.getMessage().contains("stateRoot"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BlockHeader(Hash.ZERO,
                Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE, Hash.EMPTY_TRIE, new byte[255], UInt256.ZERO, 0,
                0, 0, 0, new byte[0], Hash.ZERO, 0, null, null, null, null, null, null));
        assertTrue(e.getMessage().contains("logsBloom"), e.getMessage());
    }

    private interface Edit {
        void apply(ObjectNode j);
    }

    private static void assertNamed(String field, Edit edit) throws IOException {
        ObjectNode j = genesisJson();
        edit.apply(j);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockHeader.fromRpc(j), field);
        assertTrue(e.getMessage().contains("'" + field + "'"), field + ": " + e.getMessage());
    }

    private static byte[] bytes(RlpItem item) {
        return ((RlpItem.ByteArray) item).bytes();
    }

    static BlockHeader header(String block) throws IOException {
        return BlockHeader.fromRpc(JSON.readTree(MainnetData.blocksDir().resolve(block).resolve("block.json").toFile()));
    }

    static BlockHeader withRequestsHash(BlockHeader h, Hash requestsHash) {
        return new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(), h.stateRoot(), h.transactionsRoot(),
                h.receiptsRoot(), h.logsBloom(), h.difficulty(), h.number(), h.gasLimit(), h.gasUsed(), h.timestamp(),
                h.extraData(), h.mixHash(), h.nonce(), h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(),
                h.excessBlobGas(), h.parentBeaconBlockRoot(), requestsHash);
    }
}
