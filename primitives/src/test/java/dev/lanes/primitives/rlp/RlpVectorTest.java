package dev.lanes.primitives.rlp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.primitives.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
 * Every vector in ethereum/tests RLPTests. A vector's {@code in} is the value (a string, a number, a
 * {@code "#"}-prefixed big integer, or a nested list) and {@code out} its encoding; {@code "INVALID"} marks
 * an encoding that must be rejected, {@code "VALID"} one that must decode (and, being canonical, re-encode
 * to itself).
 */
class RlpVectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files that must be present, so that a moved or emptied directory fails instead of running nothing. */
    private static final List<String> REQUIRED = List.of("rlptest.json", "invalidRLPTest.json");

    static Path vectorDir() {
        String shared = System.getProperty("lanes.shared");
        assertNotNull(shared, "system property lanes.shared is not set (the parent pom's surefire configuration sets it)");
        Path dir = Path.of(shared, "ethereum-tests", "RLPTests").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(dir), "official RLP vectors not found at " + dir
                + "; run with ../shared beside the checkout or pass -Dlanes.shared=<dir holding ethereum-tests>");
        for (String f : REQUIRED) assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + dir.resolve(f));
        return dir;
    }

    @TestFactory
    Stream<DynamicNode> officialVectors() throws IOException {
        Path dir = vectorDir();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        int total = 0;
        for (Path file : files) {
            JsonNode root = readJson(file);
            assertTrue(root.isObject() && !root.isEmpty(), "no vectors in " + file);
            List<DynamicNode> tests = new ArrayList<>();
            for (Map.Entry<String, JsonNode> v : root.properties()) {
                tests.add(DynamicTest.dynamicTest(v.getKey(), () -> check(v.getValue())));
            }
            total += tests.size();
            nodes.add(DynamicContainer.dynamicContainer(dir.relativize(file).toString(), tests));
        }
        System.out.println("RLPTests: " + total + " vectors in " + files.size() + " files under " + dir);
        return nodes.stream();
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(JsonNode vector) {
        JsonNode in = vector.get("in");
        byte[] out = Hex.decode(vector.get("out").asText());
        if (in.isTextual() && in.asText().equals("INVALID")) {
            RlpException e = assertThrows(RlpException.class, () -> Rlp.decode(out), "accepted " + Hex.prefixed(out));
            assertTrue(e.offset() >= 0 && e.offset() <= out.length, "offset " + e.offset());
            return;
        }
        if (in.isTextual() && in.asText().equals("VALID")) {
            assertArrayEquals(out, Rlp.encode(Rlp.decode(out)), "decoded item does not re-encode to the input");
            return;
        }
        RlpWriter w = new RlpWriter(4);
        write(w, in);
        assertEquals(Hex.prefixed(out), Hex.prefixed(w.toByteArray()), "encoding");

        assertEquals(expectedItem(in), Rlp.decode(out), "tree decoding");
        RlpReader r = new RlpReader(out);
        read(r, in);
        r.requireEnd();
    }

    private static void write(RlpWriter w, JsonNode v) {
        if (v.isArray()) {
            w.startList();
            for (JsonNode child : v) write(w, child);
            w.endList();
        } else if (v.isIntegralNumber()) {
            if (v.canConvertToLong()) w.writeLong(v.longValue());
            else w.writeBigInteger(v.bigIntegerValue());
        } else if (isBigInt(v)) {
            w.writeBigInteger(bigInt(v));
        } else {
            w.writeBytes(text(v));
        }
    }

    /** Decodes with the streaming reader, reading numbers as strict scalars. */
    private static void read(RlpReader r, JsonNode expected) {
        if (expected.isArray()) {
            assertTrue(r.isList(), "expected a list at " + r.position());
            int end = r.enterList();
            for (JsonNode child : expected) read(r, child);
            assertFalse(r.hasMore(end));
            r.leaveList(end);
        } else if (expected.isIntegralNumber() && expected.canConvertToLong()) {
            assertEquals(expected.longValue(), r.readLong());
        } else if (expected.isIntegralNumber() || isBigInt(expected)) {
            assertEquals(expected.isIntegralNumber() ? expected.bigIntegerValue() : bigInt(expected), r.readBigInteger());
        } else {
            assertArrayEquals(text(expected), r.readBytes());
        }
    }

    private static RlpItem expectedItem(JsonNode v) {
        if (v.isArray()) {
            List<RlpItem> items = new ArrayList<>();
            for (JsonNode child : v) items.add(expectedItem(child));
            return RlpItem.list(items);
        }
        if (v.isIntegralNumber()) return RlpItem.of(minimal(v.bigIntegerValue()));
        if (isBigInt(v)) return RlpItem.of(minimal(bigInt(v)));
        return RlpItem.of(text(v));
    }

    private static boolean isBigInt(JsonNode v) {
        return v.isTextual() && v.asText().startsWith("#");
    }

    private static BigInteger bigInt(JsonNode v) {
        return new BigInteger(v.asText().substring(1));
    }

    private static byte[] text(JsonNode v) {
        assertTrue(v.isTextual(), "unexpected JSON value " + v);
        return v.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] minimal(BigInteger v) {
        if (v.signum() == 0) return new byte[0];
        byte[] b = v.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
