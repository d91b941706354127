package dev.lanes.node;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.crypto.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The development accounts: keys derived from a BIP-39 mnemonic along BIP-44's Ethereum path
 * {@code m/44'/60'/0'/0/i}, so that they are the same accounts Anvil and Hardhat print for the same mnemonic
 * (wallets and scripts written against those tools find their keys here too).
 *
 * <p>BIP-39 turns the words into a seed with PBKDF2-HMAC-SHA512 (2,048 rounds, salt "mnemonic" + passphrase);
 * the words' checksum is not checked, as only the seed matters. BIP-32 derives private keys only: a hardened
 * step hashes the parent private key, a normal step the parent's compressed public key.
 */
public final class DevAccounts {
    /** The mnemonic every Ethereum development tool uses by default. */
    public static final String TEST_MNEMONIC = "test test test test test test test test test test test junk";
    private static final BigInteger N = new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
    private static final int HARDENED = 0x8000_0000;

    /** One account: its address and 32-byte private key. */
    public record Account(Address address, byte[] privateKey) {}

    private DevAccounts() {}

    /** The first {@code count} accounts of {@code mnemonic} along {@code m/44'/60'/0'/0/i}. */
    public static List<Account> derive(String mnemonic, int count) {
        byte[] seed = seed(mnemonic, "");
        byte[][] master = hmac("Bitcoin seed".getBytes(StandardCharsets.US_ASCII), seed);
        byte[][] parent = master;
        for (int index : new int[] {44 | HARDENED, 60 | HARDENED, HARDENED, 0}) parent = child(parent, index);
        List<Account> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = child(parent, i)[0];
            out.add(new Account(Secp256k1.addressFromPrivate(key), key));
        }
        return out;
    }

    /** BIP-39: PBKDF2-HMAC-SHA512 over the NFKD-normalised words, 2,048 rounds, 64 bytes. */
    static byte[] seed(String mnemonic, String passphrase) {
        try {
            String words = Normalizer.normalize(mnemonic.trim(), Normalizer.Form.NFKD);
            String salt = Normalizer.normalize("mnemonic" + passphrase, Normalizer.Form.NFKD);
            PBEKeySpec spec = new PBEKeySpec(words.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), 2048, 512);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        }
    }

    /** BIP-32 CKDpriv: {key, chainCode} of child {@code index} of {key, chainCode}. */
    private static byte[][] child(byte[][] parent, int index) {
        byte[] key = parent[0], chain = parent[1];
        byte[] data = new byte[37];
        if ((index & HARDENED) != 0) {
            System.arraycopy(key, 0, data, 1, 32); // 0x00 || ser256(k)
        } else {
            byte[] pub = Secp256k1.publicKeyFromPrivate(key); // X || Y
            data[0] = (byte) (2 + (pub[63] & 1));
            System.arraycopy(pub, 0, data, 1, 32);
        }
        data[33] = (byte) (index >>> 24);
        data[34] = (byte) (index >>> 16);
        data[35] = (byte) (index >>> 8);
        data[36] = (byte) index;
        byte[][] i = hmac(chain, data);
        BigInteger il = new BigInteger(1, i[0]);
        BigInteger k = il.add(new BigInteger(1, key)).mod(N);
        // Probability below 2^-127; BIP-32 says to skip to the next index, which no standard path ever needed.
        if (il.compareTo(N) >= 0 || k.signum() == 0) throw new IllegalStateException("invalid BIP-32 child at index " + index);
        return new byte[][] {to32(k), i[1]};
    }

    private static byte[][] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            byte[] out = mac.doFinal(data);
            return new byte[][] {Arrays.copyOfRange(out, 0, 32), Arrays.copyOfRange(out, 32, 64)};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }

    private static byte[] to32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }
}
