package dev.lanes.primitives.crypto;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Secp256k1Test {
    private static final byte[] N = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    /** Both back ends: the native one only where it loads on this machine. */
    private static Backend nativeOrSkip() {
        Backend b = Secp256k1.select(false);
        assumeTrue(b instanceof NativeBackend, "native libsecp256k1 not available here");
        return b;
    }

    @Test void privateKeyOneIsTheGenerator() {
        byte[] one = word(1);
        assertEquals(Address.fromHex("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"), Secp256k1.addressFromPrivate(one));
        assertEquals("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
                Hex.encode(Secp256k1.publicKeyFromPrivate(one)));
    }

    /** The EIP-155 example: the RFC 6979 signature must come out exactly as published. */
    @Test void eip155ExampleSignature() {
        byte[] priv = Hex.decode("4646464646464646464646464646464646464646464646464646464646464646");
        byte[] hash = Hex.decode("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
        String r = "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276";
        String s = "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
        for (Backend b : backends()) {
            byte[][] sig = Secp256k1.sign(b, hash, priv);
            assertEquals(r, Hex.encode(sig[0]), b.getClass().getSimpleName());
            assertEquals(s, Hex.encode(sig[1]), b.getClass().getSimpleName());
            assertEquals(0, sig[2][0]); // v = 37 = 35 + 2·1 + 0
            byte[] pub = Secp256k1.recoverPublicKey(b, hash, sig[0], sig[1], 0);
            assertEquals(Address.fromHex("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), Secp256k1.addressOf(pub));
        }
    }

    @Test void nativeAndJavaAgreeOnRandomKeysAndMessages() {
        Backend nat = nativeOrSkip();
        Backend java = JavaBackend.INSTANCE;
        SplittableRandom rnd = new SplittableRandom(20240601);
        for (int i = 0; i < 300; i++) {
            byte[] priv = randomScalar(rnd);
            byte[] msg = random32(rnd);
            assertArrayEquals(nat.publicKey(priv), java.publicKey(priv));
            byte[][] sn = Secp256k1.sign(nat, msg, priv);
            byte[][] sj = Secp256k1.sign(java, msg, priv);
            for (int k = 0; k < 3; k++) assertArrayEquals(sn[k], sj[k], "signature part " + k);
            for (int recId = 0; recId < 4; recId++) {
                assertArrayEquals(Secp256k1.recoverPublicKey(nat, msg, sn[0], sn[1], recId),
                        Secp256k1.recoverPublicKey(java, msg, sn[0], sn[1], recId), "recId " + recId);
            }
            // Arbitrary (r, s): roughly half of all r are not x coordinates of a curve point.
            byte[] r = random32(rnd), s = random32(rnd);
            int recId = rnd.nextInt(4);
            assertArrayEquals(Secp256k1.recoverPublicKey(nat, msg, r, s, recId),
                    Secp256k1.recoverPublicKey(java, msg, r, s, recId));
        }
    }

    /** Edge scalars: r with x = r + n (recovery ids 2 and 3), s = n - 1, tiny r and s. */
    @Test void nativeAndJavaAgreeOnEdgeCases() {
        Backend nat = nativeOrSkip();
        byte[] msg = random32(new SplittableRandom(7));
        byte[][] rs = {word(1), word(2), word(0x2c), word(4), minus(N, 1), minus(N, 2), Hex.decode(
                "00000000000000000000000000000000000000000000000000000000000000ff")};
        for (byte[] r : rs) for (byte[] s : rs) for (int recId = 0; recId < 4; recId++) {
            assertArrayEquals(Secp256k1.recoverPublicKey(nat, msg, r, s, recId),
                    Secp256k1.recoverPublicKey(JavaBackend.INSTANCE, msg, r, s, recId),
                    Hex.encode(r) + "/" + Hex.encode(s) + "/" + recId);
        }
    }

    @Test void rejectsOutOfRangeScalars() {
        byte[] msg = new byte[32];
        for (Backend b : backends()) {
            assertNull(Secp256k1.recoverPublicKey(b, msg, new byte[32], word(1), 0), "r = 0");
            assertNull(Secp256k1.recoverPublicKey(b, msg, word(1), new byte[32], 0), "s = 0");
            assertNull(Secp256k1.recoverPublicKey(b, msg, N.clone(), word(1), 0), "r = n");
            assertNull(Secp256k1.recoverPublicKey(b, msg, word(1), N.clone(), 0), "s = n");
            assertNull(Secp256k1.recoverPublicKey(b, msg, word(1), word(1), 4), "recId 4");
            // r + n >= p for every r in [1, n-1] above p - n, so recovery ids 2 and 3 find nothing.
            assertNull(Secp256k1.recoverPublicKey(b, msg, minus(N, 1), word(1), 2));
        }
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKeyFromPrivate(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKeyFromPrivate(N.clone()));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.recoverPublicKey(new byte[31], word(1), word(1), 0));
    }

    @Test void lowS() {
        assertTrue(Secp256k1.isLowS(Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")));
        assertFalse(Secp256k1.isLowS(Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1")));
        assertFalse(Secp256k1.isLowS(new byte[32]));
    }

    @Test void forcedJavaIsSelectedWithoutTheNativeLibrary() {
        assertSame(JavaBackend.INSTANCE, Secp256k1.select(true));
    }

    @Test void concurrentRecoveryIsConsistent() throws Exception {
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] priv = randomScalar(rnd);
        byte[] msg = random32(rnd);
        byte[][] sig = Secp256k1.sign(msg, priv);
        Address expected = Secp256k1.addressFromPrivate(priv);
        for (Backend b : backends()) {
            var results = java.util.stream.IntStream.range(0, 200).parallel()
                    .mapToObj(i -> Secp256k1.addressOf(Secp256k1.recoverPublicKey(b, msg, sig[0], sig[1], sig[2][0])))
                    .toList();
            for (Address a : results) assertEquals(expected, a);
        }
    }

    private static java.util.List<Backend> backends() {
        Backend b = Secp256k1.select(false);
        return b instanceof NativeBackend ? java.util.List.of(b, JavaBackend.INSTANCE) : java.util.List.of(JavaBackend.INSTANCE);
    }

    private static byte[] word(int v) {
        byte[] b = new byte[32];
        b[28] = (byte) (v >>> 24);
        b[29] = (byte) (v >>> 16);
        b[30] = (byte) (v >>> 8);
        b[31] = (byte) v;
        return b;
    }

    private static byte[] minus(byte[] a, int k) {
        return toWord(new java.math.BigInteger(1, a).subtract(java.math.BigInteger.valueOf(k)));
    }

    private static byte[] toWord(java.math.BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] random32(SplittableRandom rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] randomScalar(SplittableRandom rnd) {
        while (true) {
            byte[] b = random32(rnd);
            if (Secp256k1.isValidScalar(b)) return b;
        }
    }
}
