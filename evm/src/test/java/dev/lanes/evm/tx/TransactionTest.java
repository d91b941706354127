package dev.lanes.evm.tx;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.evm.Fork;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransactionTest {
    private static final byte[] KEY = Hex.decode("4646464646464646464646464646464646464646464646464646464646464646");
    private static final Address SIGNER = Secp256k1.addressFromPrivate(KEY);
    private static final Address TO = Address.fromHex("0x3535353535353535353535353535353535353535");
    private static final Hash BLOB_HASH = Hash.fromHex("0x01" + "ab".repeat(31));

    /** The worked example in EIP-155 itself: signing hash, signature and final encoding. */
    @Test void eip155Example() {
        Transaction tx = Transaction.builder(TxType.LEGACY).chainId(1).nonce(9).gasPrice(UInt256.of(20_000_000_000L))
                .gasLimit(21_000).to(TO).value(UInt256.of(1_000_000_000_000_000_000L)).sign(KEY);
        assertEquals(Hash.fromHex("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"), tx.signingHash());
        assertEquals("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025"
                + "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"
                + "a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", Hex.prefixed(tx.encoded()));
        assertEquals(UInt256.of(37), tx.v());
        assertEquals(Address.fromHex("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"), tx.sender());
        tx.validate(Fork.SPURIOUS_DRAGON, 1);
        assertThrows(InvalidTransactionException.class, () -> tx.validate(Fork.TANGERINE_WHISTLE, 1));
        assertThrows(InvalidTransactionException.class, () -> tx.validate(Fork.CANCUN, 5));
    }

    @Test void everyTypeRoundTripsAndRecoversItsSender() {
        for (Transaction tx : samples()) {
            Transaction back = Transaction.decode(tx.encoded());
            assertEquals(tx, back);
            assertArrayEquals(tx.encoded(), back.encoded());
            assertEquals(tx.type(), back.type());
            assertEquals(tx.chainId(), back.chainId());
            assertEquals(tx.nonce(), back.nonce());
            assertEquals(tx.maxFeePerGas(), back.maxFeePerGas());
            assertEquals(tx.maxPriorityFeePerGas(), back.maxPriorityFeePerGas());
            assertEquals(tx.gasLimit(), back.gasLimit());
            assertEquals(tx.to(), back.to());
            assertEquals(tx.value(), back.value());
            assertArrayEquals(tx.data(), back.data());
            assertEquals(tx.accessList(), back.accessList());
            assertEquals(tx.maxFeePerBlobGas(), back.maxFeePerBlobGas());
            assertEquals(tx.blobVersionedHashes(), back.blobVersionedHashes());
            assertEquals(tx.signingHash(), back.signingHash());
            assertEquals(SIGNER, back.sender(), tx.type().toString());
            assertEquals(tx.authorizationList(), back.authorizationList());
            back.validate(tx.type().since.isEnabled(Fork.CANCUN) ? tx.type().since : Fork.CANCUN, 7);
            if (tx.type() != TxType.LEGACY) assertEquals(tx.type().id, tx.encoded()[0]);
        }
    }

    @Test void typesActivateWithTheirForks() {
        for (Transaction tx : samples()) {
            for (Fork f : Fork.values()) {
                if (f.isEnabled(tx.type().since) && !(tx.chainId() != null && !f.isEnabled(Fork.SPURIOUS_DRAGON))) {
                    if (!f.isEnabled(Fork.OSAKA)) tx.validate(f, 7);
                } else {
                    assertThrows(InvalidTransactionException.class, () -> tx.validate(f, 7), tx.type() + " at " + f);
                }
            }
        }
    }

    @Test void legacyWithoutChainId() {
        Transaction tx = Transaction.builder(TxType.LEGACY).nonce(0).gasPrice(UInt256.ONE).gasLimit(21_000).to(TO).sign(KEY);
        assertNull(tx.chainId());
        assertTrue(tx.v().equals(UInt256.of(27)) || tx.v().equals(UInt256.of(28)));
        tx.validate(Fork.FRONTIER, 1);
        tx.validate(Fork.OSAKA, 1); // unprotected transactions stay valid
        assertEquals(SIGNER, Transaction.decode(tx.encoded()).sender());
    }

    @Test void rejectsUnsupportedAndBogusTypeBytes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Transaction.decode(Hex.decode("04c0")));
        assertTrue(e.getMessage().contains("EIP-7702"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(Hex.decode("00c0")));
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(Hex.decode("7fc0")));
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(Hex.decode("8180")));
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(new byte[] {2}));
    }

    @Test void rejectsMalformedFields() {
        Transaction blob = sample(TxType.BLOB);
        List<byte[]> f = fieldsOf(blob);
        // A blob transaction's recipient is mandatory.
        f.set(5, TxRlp.string(new byte[0]));
        assertDecodeFails(TxType.BLOB, f, "cannot create");
        // Network form: [tx_payload_body, blobs, commitments, proofs].
        byte[] body = Arrays.copyOfRange(blob.encoded(), 1, blob.encoded().length);
        byte[] wrapper = TxRlp.list(List.of(body, TxRlp.list(List.of()), TxRlp.list(List.of()), TxRlp.list(List.of())));
        assertDecodeFails(3, wrapper, "sidecar");
        // y parity 2.
        List<byte[]> g = fieldsOf(sample(TxType.DYNAMIC_FEE));
        g.set(9, TxRlp.uint(2));
        assertDecodeFails(TxType.DYNAMIC_FEE, g, "yParity");
        // Too few fields.
        assertDecodeFails(TxType.DYNAMIC_FEE, g.subList(0, 11), "12 fields");
        // Access-list entry with three items.
        List<byte[]> h = fieldsOf(sample(TxType.ACCESS_LIST));
        h.set(7, TxRlp.list(List.of(TxRlp.list(List.of(TxRlp.string(TO.toArray()), TxRlp.list(List.of()), TxRlp.string(new byte[0]))))));
        assertDecodeFails(TxType.ACCESS_LIST, h, "accessList entry");
        // Non-canonical length: a 3-byte string written in the long form.
        byte[] legacy = sample(TxType.LEGACY).encoded();
        byte[] bad = Hex.decode("f8" + Hex.encode(new byte[] {(byte) (legacy.length - 2 + 3)}) + "b803010203");
        assertThrows(IllegalArgumentException.class, () -> Transaction.decode(bad));
    }

    @Test void validityRules() {
        Transaction noBlobs = Transaction.builder(TxType.BLOB).chainId(7).to(TO).gasLimit(21_000)
                .maxFeePerGas(UInt256.ONE).maxFeePerBlobGas(UInt256.ONE).sign(KEY);
        assertInvalid(noBlobs, Fork.CANCUN, "without blobs");
        Transaction badVersion = Transaction.builder(TxType.BLOB).chainId(7).to(TO).gasLimit(21_000)
                .blobVersionedHashes(List.of(Hash.ZERO)).sign(KEY);
        assertInvalid(badVersion, Fork.CANCUN, "version");
        Transaction tip = Transaction.builder(TxType.DYNAMIC_FEE).chainId(7).to(TO).gasLimit(21_000)
                .maxPriorityFeePerGas(UInt256.of(2)).maxFeePerGas(UInt256.ONE).sign(KEY);
        assertInvalid(tip, Fork.LONDON, "exceeds maxFeePerGas");
        Transaction big = Transaction.builder(TxType.DYNAMIC_FEE).chainId(7).to(TO).gasLimit((1L << 24) + 1).sign(KEY);
        big.validate(Fork.PRAGUE, 7);
        assertInvalid(big, Fork.OSAKA, "EIP-7825");
        // EIP-7623: 100 non-zero bytes = 400 tokens; floor 25,000 > intrinsic 22,600.
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 1);
        Transaction floor = Transaction.builder(TxType.DYNAMIC_FEE).chainId(7).to(TO).gasLimit(24_999).data(data).sign(KEY);
        assertEquals(22_600, IntrinsicGas.of(floor, Fork.PRAGUE));
        assertEquals(25_000, IntrinsicGas.floorOf(floor, Fork.PRAGUE));
        floor.validate(Fork.CANCUN, 7);
        assertInvalid(floor, Fork.PRAGUE, "intrinsic");
        Transaction wrongChain = sample(TxType.ACCESS_LIST);
        assertInvalid(wrongChain, Fork.BERLIN, 8, "chain id");
    }

    @Test void intrinsicGas() {
        byte[] code = new byte[65]; // 3 words, 64 zero bytes and one non-zero
        code[0] = 0x60;
        Transaction create = Transaction.builder(TxType.LEGACY).gasLimit(100_000).data(code).sign(KEY);
        assertEquals(21_000 + 64 * 4 + 68, IntrinsicGas.of(create, Fork.FRONTIER));
        assertEquals(53_000 + 64 * 4 + 68, IntrinsicGas.of(create, Fork.HOMESTEAD));
        assertEquals(53_000 + 64 * 4 + 16, IntrinsicGas.of(create, Fork.ISTANBUL));
        assertEquals(53_000 + 64 * 4 + 16 + 3 * 2, IntrinsicGas.of(create, Fork.SHANGHAI));
        Transaction al = sample(TxType.ACCESS_LIST); // two addresses, three keys
        assertEquals(21_000 + 2 * 2_400 + 3 * 1_900 + 16 * 3, IntrinsicGas.of(al, Fork.BERLIN));
        Transaction tooBig = Transaction.builder(TxType.LEGACY).gasLimit(1_000_000).data(new byte[49_153]).sign(KEY);
        tooBig.validate(Fork.PARIS, 1);
        assertInvalid(tooBig, Fork.SHANGHAI, "EIP-3860");
    }

    /** Random corruption must end in a clean rejection or in a canonical transaction, never another exception. */
    @Test void mutatedEncodingsFailCleanly() {
        SplittableRandom rnd = new SplittableRandom(42);
        int accepted = 0;
        for (Transaction tx : samples()) {
            byte[] good = tx.encoded();
            for (int i = 0; i < 3_000; i++) {
                byte[] b = mutate(good, rnd);
                Transaction t;
                try {
                    t = Transaction.decode(b);
                } catch (IllegalArgumentException expected) {
                    continue;
                }
                accepted++;
                assertArrayEquals(b, t.encoded(), "decoding accepted a non-canonical encoding");
                try {
                    t.validate(Fork.CANCUN, 7);
                    t.hash();
                } catch (InvalidTransactionException expected) {
                    // a different but well-formed transaction that breaks a rule
                }
            }
        }
        assertTrue(accepted > 0, "mutations never produced a decodable transaction; the test is too harsh");
    }

    // ---- helpers ----

    private static List<Transaction> samples() {
        List<Transaction> out = new ArrayList<>();
        for (TxType t : TxType.values()) out.add(sample(t));
        return out;
    }

    private static Transaction sample(TxType type) {
        var b = Transaction.builder(type).chainId(7).nonce(3).gasLimit(100_000).to(TO).value(UInt256.of(1234))
                .data(new byte[] {1, 2, 3});
        if (type == TxType.LEGACY || type == TxType.ACCESS_LIST) b.gasPrice(UInt256.of(1_000_000_000));
        else b.maxPriorityFeePerGas(UInt256.of(2)).maxFeePerGas(UInt256.of(1_000_000_000));
        if (type != TxType.LEGACY) b.accessList(List.of(
                new AccessListEntry(TO, List.of(Hash.ZERO, BLOB_HASH)),
                new AccessListEntry(Address.ofLow(1), List.of(Hash.EMPTY_CODE))));
        if (type == TxType.BLOB) b.maxFeePerBlobGas(UInt256.of(5)).blobVersionedHashes(List.of(BLOB_HASH, BLOB_HASH));
        if (type == TxType.SET_CODE) b.authorizationList(List.of(Authorization.sign(UInt256.of(7), TO, 9, KEY)));
        return b.sign(KEY);
    }

    /** Each top-level field's own encoding (canonical RLP re-encodes to the bytes it was decoded from). */
    private static List<byte[]> fieldsOf(Transaction tx) {
        byte[] enc = tx.encoded();
        int off = tx.type() == TxType.LEGACY ? 0 : 1;
        List<byte[]> out = new ArrayList<>();
        for (TxRlp.Item it : TxRlp.decodeList(enc, off, "test")) out.add(dev.lanes.primitives.rlp.Rlp.encode(it.item()));
        return out;
    }

    private static void assertDecodeFails(TxType type, List<byte[]> fields, String messagePart) {
        assertDecodeFails(type.id, TxRlp.list(fields), messagePart);
    }

    private static void assertDecodeFails(int type, byte[] list, String messagePart) {
        byte[] raw = type == 0 ? list : dev.lanes.primitives.Bytes.concat(new byte[] {(byte) type}, list);
        var e = assertThrows(IllegalArgumentException.class, () -> Transaction.decode(raw));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static void assertInvalid(Transaction tx, Fork fork, String messagePart) {
        assertInvalid(tx, fork, 7, messagePart);
    }

    private static void assertInvalid(Transaction tx, Fork fork, long chainId, String messagePart) {
        var e = assertThrows(InvalidTransactionException.class, () -> tx.validate(fork, chainId));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static byte[] mutate(byte[] good, SplittableRandom rnd) {
        byte[] b = good.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2 -> {
                int at = rnd.nextInt(b.length + 1);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) rnd.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            default -> {
                for (int k = 0; k < 4; k++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
        }
        return b;
    }
}
