package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.evm.Log;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EIP-7685 requests hash and EIP-6110 deposit parsing. */
class RequestsTest {
    @Test void emptyRequestsHashIsSha256OfNothing() {
        // EIP-7685: with no requests at all the commitment is sha256(b"").
        assertEquals(Hash.fromHex("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                Requests.hash(Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY));
    }

    @Test void hashSkipsEmptyTypesAndPrefixesTheType() throws Exception {
        byte[] w = Hex.decode("0x0102");
        MessageDigest inner = MessageDigest.getInstance("SHA-256");
        inner.update((byte) 1);
        inner.update(w);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(inner.digest());
        assertEquals(Hash.wrap(expected), Requests.hash(Bytes.EMPTY, w, Bytes.EMPTY));
    }

    /** The deposit contract's ABI layout: offsets 160/256/320/384/512, each field as length word + padded data. */
    static byte[] depositLog(byte fill) {
        int[] sizes = {48, 32, 8, 96, 8};
        int[] offsets = {160, 256, 320, 384, 512};
        byte[] data = new byte[576];
        for (int i = 0; i < 5; i++) {
            Bytes.putInt(data, 32 * i + 28, offsets[i]);
            Bytes.putInt(data, offsets[i] + 28, sizes[i]);
            for (int k = 0; k < sizes[i]; k++) data[offsets[i] + 32 + k] = (byte) (fill + i);
        }
        return data;
    }

    @Test void depositsConcatenateTheFiveFields() {
        Log l = new Log(Requests.DEPOSIT_CONTRACT, List.of(Requests.DEPOSIT_EVENT), depositLog((byte) 1));
        Log other = new Log(Requests.DEPOSIT_CONTRACT, List.of(Hash.ZERO), depositLog((byte) 9));
        byte[] d = Requests.deposits(List.of(List.of(l, other), List.of(l)));
        assertEquals(2 * 192, d.length);
        assertEquals(1, d[0]);       // pubkey
        assertEquals(2, d[48]);      // withdrawal credentials
        assertEquals(3, d[80]);      // amount
        assertEquals(4, d[88]);      // signature
        assertEquals(5, d[184]);     // index
    }

    @Test void malformedDepositLogIsRejected() {
        byte[] bad = depositLog((byte) 1);
        Bytes.putInt(bad, 160 + 28, 47); // pubkey length 47
        Log l = new Log(Requests.DEPOSIT_CONTRACT, List.of(Requests.DEPOSIT_EVENT), bad);
        assertThrows(IllegalArgumentException.class, () -> Requests.deposits(List.of(List.of(l))));
    }
}
