package dev.lanes.evm.tx;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.Fork;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ethereum/tests TransactionTests: each file holds one {@code txbytes} and, per fork, either the expected
 * hash, sender and intrinsic gas, or the name of the exception a client must raise. We only require that we
 * reject where an exception is expected, not that our reason matches the fixture's label.
 */
class TransactionTestsTest {
    /** The fixtures are filled for mainnet. */
    private static final long CHAIN_ID = 1;

    @TestFactory Stream<DynamicNode> transactionTests() throws IOException {
        Path root = SharedData.dir().resolve("ethereum-tests/TransactionTests");
        assertTrue(Files.isDirectory(root), "missing " + root);
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no fixtures under " + root);
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            JsonNode doc = json.readTree(file.toFile());
            List<DynamicNode> perFork = new ArrayList<>();
            for (Map.Entry<String, JsonNode> test : doc.properties()) {
                byte[] txBytes = Hex.decode(test.getValue().get("txbytes").asText());
                for (Map.Entry<String, JsonNode> result : test.getValue().get("result").properties()) {
                    String name = test.getKey() + " / " + result.getKey();
                    perFork.add(DynamicTest.dynamicTest(name, () -> check(txBytes, Fork.byName(result.getKey()), result.getValue())));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(root.relativize(file).toString(), perFork));
        }
        return nodes.stream();
    }

    private static void check(byte[] txBytes, Fork fork, JsonNode expected) {
        if (expected.has("exception")) {
            String label = expected.get("exception").asText();
            Transaction tx;
            try {
                tx = Transaction.decode(txBytes);
            } catch (IllegalArgumentException e) {
                return; // rejected as malformed
            }
            InvalidTransactionException e = assertThrows(InvalidTransactionException.class, () -> tx.validate(fork, CHAIN_ID),
                    "expected " + label + " but the transaction was accepted");
            assertNotNull(e.getMessage());
            return;
        }
        Transaction tx = Transaction.decode(txBytes);
        tx.validate(fork, CHAIN_ID);
        assertEquals(Hash.fromHex(expected.get("hash").asText()), tx.hash(), "hash");
        assertEquals(Address.fromHex(expected.get("sender").asText()), tx.sender(), "sender");
        assertEquals(Long.decode(expected.get("intrinsicGas").asText()), IntrinsicGas.of(tx, fork), "intrinsic gas");
        assertArrayEquals(txBytes, tx.encoded(), "re-encoding");
    }
}
