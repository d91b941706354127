package dev.lanes.evm.precompile.bls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.precompile.Precompile;
import dev.lanes.primitives.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EIP-2537 vector files under src/test/resources/precompiles (see the README there): go-ethereum's
 * bls*.json and the EIP's own assets/eip-2537 files (prefixed eip2537-). Success vectors must give the expected
 * output and gas; failure vectors must make execute return null.
 */
class BlsVectorsTest {
    record Vector(String file, String name, byte[] input, byte[] expected, long gas) {}

    private static final Object[][] SUCCESS = {
        {"blsG1Add.json", (Supplier<Precompile>) BlsG1Add::new},
        {"blsG1Mul.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"blsG1MultiExp.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"blsG2Add.json", (Supplier<Precompile>) BlsG2Add::new},
        {"blsG2Mul.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"blsG2MultiExp.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"blsPairing.json", (Supplier<Precompile>) BlsPairingCheck::new},
        {"blsMapG1.json", (Supplier<Precompile>) BlsMapFpToG1::new},
        {"blsMapG2.json", (Supplier<Precompile>) BlsMapFp2ToG2::new},
        {"eip2537-add_G1_bls.json", (Supplier<Precompile>) BlsG1Add::new},
        {"eip2537-add_G2_bls.json", (Supplier<Precompile>) BlsG2Add::new},
        {"eip2537-mul_G1_bls.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"eip2537-mul_G2_bls.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"eip2537-msm_G1_bls.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"eip2537-pairing_check_bls.json", (Supplier<Precompile>) BlsPairingCheck::new},
        {"eip2537-map_fp_to_G1_bls.json", (Supplier<Precompile>) BlsMapFpToG1::new},
        {"eip2537-map_fp2_to_G2_bls.json", (Supplier<Precompile>) BlsMapFp2ToG2::new},
    };

    private static final Object[][] FAILURE = {
        {"fail-blsG1Add.json", (Supplier<Precompile>) BlsG1Add::new},
        {"fail-blsG1Mul.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"fail-blsG1MultiExp.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"fail-blsG2Add.json", (Supplier<Precompile>) BlsG2Add::new},
        {"fail-blsG2Mul.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"fail-blsG2MultiExp.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"fail-blsPairing.json", (Supplier<Precompile>) BlsPairingCheck::new},
        {"fail-blsMapG1.json", (Supplier<Precompile>) BlsMapFpToG1::new},
        {"fail-blsMapG2.json", (Supplier<Precompile>) BlsMapFp2ToG2::new},
        {"eip2537-fail-add_G1_bls.json", (Supplier<Precompile>) BlsG1Add::new},
        {"eip2537-fail-add_G2_bls.json", (Supplier<Precompile>) BlsG2Add::new},
        {"eip2537-fail-mul_G1_bls.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"eip2537-fail-mul_G2_bls.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"eip2537-fail-msm_G1_bls.json", (Supplier<Precompile>) BlsG1Msm::new},
        {"eip2537-fail-msm_G2_bls.json", (Supplier<Precompile>) BlsG2Msm::new},
        {"eip2537-fail-pairing_check_bls.json", (Supplier<Precompile>) BlsPairingCheck::new},
        {"eip2537-fail-map_fp_to_G1_bls.json", (Supplier<Precompile>) BlsMapFpToG1::new},
        {"eip2537-fail-map_fp2_to_G2_bls.json", (Supplier<Precompile>) BlsMapFp2ToG2::new},
    };

    static List<Vector> load(String file) {
        String path = "/precompiles/" + file;
        try (InputStream in = BlsVectorsTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            List<Vector> out = new ArrayList<>();
            for (JsonNode v : new ObjectMapper().readTree(in)) {
                out.add(new Vector(
                        file,
                        v.get("Name").asText(),
                        Hex.decode(v.get("Input").asText()),
                        v.has("Expected") ? Hex.decode(v.get("Expected").asText()) : null,
                        v.has("Gas") ? v.get("Gas").asLong() : -1));
            }
            if (out.isEmpty()) throw new IllegalStateException("no vectors in " + path);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Stream<Arguments> arguments(Object[][] table) {
        return Stream.of(table).flatMap(row -> load((String) row[0]).stream()
                .map(v -> Arguments.of(v.file() + ": " + v.name(), v, ((Supplier<Precompile>) row[1]).get())));
    }

    static Stream<Arguments> successVectors() {
        return arguments(SUCCESS);
    }

    static Stream<Arguments> failureVectors() {
        return arguments(FAILURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("successVectors")
    void success(String label, Vector v, Precompile precompile) {
        assertEquals(v.gas(), precompile.gasCost(v.input()), "gas");
        assertArrayEquals(v.expected(), precompile.execute(v.input()), "output");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failureVectors")
    void failure(String label, Vector v, Precompile precompile) {
        assertNull(precompile.execute(v.input()));
    }
}
