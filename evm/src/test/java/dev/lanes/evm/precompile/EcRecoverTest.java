package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.crypto.Secp256k1;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EcRecoverTest {
    private static final EcRecover EC = new EcRecover();
    private static final byte[] KEY = Hex.decode("4646464646464646464646464646464646464646464646464646464646464646");
    private static final byte[] HASH = Hex.decode("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    private static final byte[] N = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    private static byte[] input(int v, byte[] r, byte[] s) {
        byte[] in = new byte[128];
        System.arraycopy(HASH, 0, in, 0, 32);
        in[63] = (byte) v;
        System.arraycopy(r, 0, in, 64, 32);
        System.arraycopy(s, 0, in, 96, 32);
        return in;
    }

    private static byte[][] sig() {
        return Secp256k1.sign(HASH, KEY);
    }

    @Test void recoversTheSigner() {
        byte[][] sig = sig();
        byte[] out = EC.execute(input(27 + sig[2][0], sig[0], sig[1]));
        byte[] expected = new byte[32];
        System.arraycopy(Address.fromHex("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f").toArray(), 0, expected, 12, 20);
        assertArrayEquals(expected, out);
        assertEquals(3_000, EC.gasCost(new byte[0]));
    }

    @Test void acceptsHighS() {
        byte[][] sig = sig();
        byte[] highS = new java.math.BigInteger(1, N).subtract(new java.math.BigInteger(1, sig[1])).toByteArray();
        highS = Arrays.copyOfRange(highS, highS.length - 32, highS.length);
        // (r, n - s) is the same signature with R's parity flipped.
        byte[] out = EC.execute(input(27 + (1 - sig[2][0]), sig[0], highS));
        assertEquals(32, out.length);
        assertArrayEquals(EC.execute(input(27 + sig[2][0], sig[0], sig[1])), out);
    }

    @Test void paddingAndExtraInput() {
        byte[][] sig = sig();
        byte[] full = input(27 + sig[2][0], sig[0], sig[1]);
        byte[] longer = Arrays.copyOf(full, 200);
        Arrays.fill(longer, 128, 200, (byte) 0xff);
        assertArrayEquals(EC.execute(full), EC.execute(longer));
        // Short input is zero-padded: here s becomes zero, which is invalid.
        assertArrayEquals(new byte[0], EC.execute(Arrays.copyOf(full, 96)));
        assertArrayEquals(new byte[0], EC.execute(new byte[0]));
    }

    @Test void invalidInputGivesEmptyOutput() {
        byte[][] sig = sig();
        assertArrayEquals(new byte[0], EC.execute(input(29, sig[0], sig[1])));
        assertArrayEquals(new byte[0], EC.execute(input(0, sig[0], sig[1])));
        assertArrayEquals(new byte[0], EC.execute(input(1, sig[0], sig[1])));
        byte[] vHigh = input(27 + sig[2][0], sig[0], sig[1]);
        vHigh[32] = 1; // v = 2^248 + 27
        assertArrayEquals(new byte[0], EC.execute(vHigh));
        assertArrayEquals(new byte[0], EC.execute(input(27, new byte[32], sig[1])));
        assertArrayEquals(new byte[0], EC.execute(input(27, N, sig[1])));
        assertArrayEquals(new byte[0], EC.execute(input(27, sig[0], N)));
        byte[] notOnCurve = new byte[32];
        notOnCurve[31] = 5; // x = 5: 125 + 7 = 132 is not a square mod p
        assertArrayEquals(new byte[0], EC.execute(input(27, notOnCurve, sig[1])));
    }
}
