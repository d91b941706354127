package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official ethereum/tests TrieTests, every file and every case. Each case's root is checked three ways:
 * updates applied in the given order to the mutable trie, the surviving entries through {@link TrieRoot},
 * and (for unordered inputs) the mutable trie fed in shuffled orders, since the root must not depend on order.
 *
 * <p>Format: {@code in} is a list of {@code [key, value]} applied in order (a null value deletes) or an
 * object; a string starting with "0x" is hex, anything else raw UTF-8; {@code root} is the expected root.
 */
class TrieVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = SharedData.folder("ethereum-tests/TrieTests");

    @TestFactory
    Stream<DynamicTest> trietest() throws IOException {
        return cases("trietest.json", false);
    }

    @TestFactory
    Stream<DynamicTest> trieanyorder() throws IOException {
        return cases("trieanyorder.json", false);
    }

    @TestFactory
    Stream<DynamicTest> trietestSecureTrie() throws IOException {
        return cases("trietest_secureTrie.json", true);
    }

    @TestFactory
    Stream<DynamicTest> trieanyorderSecureTrie() throws IOException {
        return cases("trieanyorder_secureTrie.json", true);
    }

    @TestFactory
    Stream<DynamicTest> hexEncodedSecureTrie() throws IOException {
        return cases("hex_encoded_securetrie_test.json", true);
    }

    /** {@code in} is a key list (each stored with itself as value); {@code tests} are [key, previous, next], "" for none. */
    @TestFactory
    Stream<DynamicTest> trietestnextprev() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        read("trietestnextprev.json").properties().forEach(entry -> tests.add(DynamicTest.dynamicTest(entry.getKey(), () -> {
            MerklePatriciaTrie trie = new MerklePatriciaTrie();
            for (JsonNode k : entry.getValue().get("in")) trie.put(bytes(k), bytes(k));
            int checked = 0;
            for (JsonNode t : entry.getValue().get("tests")) {
                byte[] key = bytes(t.get(0));
                assertArrayEquals(orNull(bytes(t.get(1))), trie.previousKey(key), "previous of " + t.get(0));
                assertArrayEquals(orNull(bytes(t.get(2))), trie.nextKey(key), "next of " + t.get(0));
                checked++;
            }
            assertTrue(checked > 0, "no checks in " + entry.getKey());
        })));
        assertEquals(1, tests.size(), "cases in trietestnextprev.json");
        return tests.stream();
    }

    private static Stream<DynamicTest> cases(String file, boolean secure) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        read(file).properties().forEach(entry -> tests.add(DynamicTest.dynamicTest(entry.getKey(),
                () -> check(entry.getValue(), secure))));
        assertTrue(!tests.isEmpty(), "no cases in " + file);
        return tests.stream();
    }

    private static void check(JsonNode testCase, boolean secure) {
        Hash expected = Hash.fromHex(testCase.get("root").asText());
        List<byte[][]> updates = new ArrayList<>();
        JsonNode in = testCase.get("in");
        if (in.isArray()) {
            for (JsonNode pair : in) updates.add(new byte[][] {bytes(pair.get(0)), bytes(pair.get(1))});
        } else {
            in.properties().forEach(e -> updates.add(new byte[][] {bytes(e.getKey()), bytes(e.getValue())}));
        }

        assertEquals(expected, apply(updates, secure), "updates in file order");

        // The same final contents, built in one pass.
        TreeMap<byte[], byte[]> contents = new TreeMap<>(Arrays::compareUnsigned);
        for (byte[][] u : updates) {
            byte[] key = secure ? Keccak.hash(u[0]) : u[0];
            if (u[1].length == 0) contents.remove(key);
            else contents.put(key, u[1]);
        }
        assertEquals(expected, TrieRoot.of(contents), "TrieRoot.of");

        if (!in.isArray()) {
            Random random = new Random(in.size());
            for (int round = 0; round < 5; round++) {
                Collections.shuffle(updates, random);
                assertEquals(expected, apply(updates, secure), "shuffled order " + round);
            }
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            for (byte[][] u : updates) {
                keys.add(u[0]);
                values.add(u[1]);
            }
            if (secure) assertEquals(expected, TrieRoot.secure(keys, values), "TrieRoot.secure");
        }
    }

    private static Hash apply(List<byte[][]> updates, boolean secure) {
        if (secure) {
            SecureTrie trie = new SecureTrie();
            for (byte[][] u : updates) trie.put(u[0], u[1]);
            return trie.rootHash();
        }
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        for (byte[][] u : updates) {
            trie.put(u[0], u[1]);
            if (u[1].length > 0) assertArrayEquals(u[1], trie.get(u[0]));
            else assertEquals(null, trie.get(u[0]));
        }
        return trie.rootHash();
    }

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(DIR.resolve(file).toFile());
    }

    private static byte[] bytes(JsonNode node) {
        return node == null || node.isNull() ? Bytes.EMPTY : bytes(node.asText());
    }

    private static byte[] bytes(String s) {
        return s.startsWith("0x") ? Hex.decode(s) : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] orNull(byte[] b) {
        return b.length == 0 ? null : b;
    }
}
