package dev.lanes.evm.precompile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.primitives.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Precompile test vectors in go-ethereum's JSON layout (see src/test/resources/precompiles/README.md):
 * an array of {Input, Expected, Gas, Name}, or {Input, ExpectedError, Name} for inputs that must fail.
 */
final class Vectors {
    /** One vector; {@code expected} is null and {@code gas} -1 for a failure vector. */
    record Vector(String name, byte[] input, byte[] expected, long gas, String expectedError) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Vectors() {}

    static List<Vector> load(String file) {
        String path = "/precompiles/" + file;
        try (InputStream in = Vectors.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            JsonNode root = new ObjectMapper().readTree(in);
            List<Vector> out = new ArrayList<>();
            for (JsonNode v : root) {
                out.add(new Vector(
                        v.get("Name").asText(),
                        Hex.decode(v.get("Input").asText()),
                        v.has("Expected") ? Hex.decode(v.get("Expected").asText()) : null,
                        v.has("Gas") ? v.get("Gas").asLong() : -1,
                        v.has("ExpectedError") ? v.get("ExpectedError").asText() : null));
            }
            if (out.isEmpty()) throw new IllegalStateException("no vectors in " + path);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
