package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.Hex;
import ethereum.ckzg4844.CKZG4844JNI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PointEvaluationTest {
    private final PointEvaluation kzg = new PointEvaluation();

    static List<Vectors.Vector> vectors() {
        return Vectors.load("pointEvaluation.json");
    }

    @Test
    void trustedSetupLoadsFromTheClasspath() {
        // The build ships the setup and the native library for this platform; if either goes missing, say so
        // here rather than through every other test failing.
        assertTrue(KzgTrustedSetup.ensureLoaded());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesVector(Vectors.Vector v) {
        assertEquals(v.gas(), kzg.gasCost(v.input()));
        assertArrayEquals(v.expected(), kzg.execute(v.input()));
    }

    @Test
    void outputConstantsAgreeWithCKzg() {
        assertEquals(CKZG4844JNI.FIELD_ELEMENTS_PER_BLOB, PointEvaluation.FIELD_ELEMENTS_PER_BLOB);
        assertEquals(CKZG4844JNI.BLS_MODULUS, PointEvaluation.BLS_MODULUS);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 191, 193})
    void wrongLengthIsInvalid(int length) {
        assertNull(kzg.execute(new byte[length]));
        assertEquals(50_000, kzg.gasCost(new byte[length]));
    }

    @Test
    void versionedHashMustMatchTheCommitment() {
        byte[] in = valid();
        in[0] = 0x02; // wrong version byte, digest otherwise right
        assertNull(kzg.execute(in));
        in = valid();
        in[31] ^= 1;
        assertNull(kzg.execute(in));
    }

    @Test
    void wrongClaimedValueFails() {
        byte[] in = valid();
        in[95] ^= 1; // y
        assertNull(kzg.execute(in));
    }

    @Test
    void nonCanonicalFieldElementIsInvalidNotAnError() {
        byte[] in = valid();
        byte[] modulus = Hex.decodeFixed(PointEvaluation.BLS_MODULUS.toString(16), 32);
        System.arraycopy(modulus, 0, in, 32, 32); // z = BLS_MODULUS
        assertNull(kzg.execute(in));
    }

    @Test
    void proofThatIsNotAPointIsInvalidNotAnError() {
        byte[] in = valid();
        for (int i = 144; i < 192; i++) in[i] = (byte) 0xff;
        assertNull(kzg.execute(in));
    }

    @Test
    void commitmentThatIsNotAPointIsInvalidNotAnError() {
        byte[] commitment = new byte[48]; // no compression flag: not a valid G1 encoding
        assertNull(kzg.execute(input(commitment, new byte[32], new byte[32], infinity())));
    }

    @Test
    void zeroPolynomialOpensToZeroEverywhere() {
        // The commitment to the zero polynomial is the point at infinity, and so is its opening proof.
        byte[] z = Hex.decodeFixed("1234", 32);
        assertArrayEquals(vectors().getFirst().expected(), kzg.execute(input(infinity(), z, new byte[32], infinity())));
        assertNull(kzg.execute(input(infinity(), z, Hex.decodeFixed("01", 32), infinity())));
    }

    @Test
    void concurrentFirstUseIsSafe() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) results.add(pool.submit(() -> kzg.execute(valid())));
            for (Future<byte[]> f : results) assertArrayEquals(vectors().getFirst().expected(), f.get());
        }
    }

    private static byte[] valid() {
        return vectors().getFirst().input().clone();
    }

    /** Compressed G1 point at infinity: compression and infinity flags set, all else zero. */
    private static byte[] infinity() {
        byte[] p = new byte[48];
        p[0] = (byte) 0xc0;
        return p;
    }

    private static byte[] input(byte[] commitment, byte[] z, byte[] y, byte[] proof) {
        byte[] hash = Sha256.digest(commitment);
        hash[0] = 0x01;
        byte[] in = new byte[192];
        System.arraycopy(hash, 0, in, 0, 32);
        System.arraycopy(z, 0, in, 32, 32);
        System.arraycopy(y, 0, in, 64, 32);
        System.arraycopy(commitment, 0, in, 96, 48);
        System.arraycopy(proof, 0, in, 144, 48);
        return in;
    }
}
