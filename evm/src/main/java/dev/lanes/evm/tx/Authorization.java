package dev.lanes.evm.tx;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import java.util.List;

/**
 * One EIP-7702 authorization tuple: the authority (the signer) lets its account run the code at
 * {@code address}. Its validity is decided while the transaction executes, not when it is decoded: an
 * invalid tuple is skipped, and the transaction stays valid.
 */
public record Authorization(UInt256 chainId, Address address, long nonce, UInt256 yParity, UInt256 r, UInt256 s) {
    /** EIP-7702: the magic byte that prefixes the signed message, keeping it apart from transactions. */
    static final byte MAGIC = 0x05;

    /** keccak256(MAGIC || rlp([chain_id, address, nonce])). */
    public byte[] signingHash() {
        byte[] list = TxRlp.list(List.of(TxRlp.uint(chainId), TxRlp.string(address.unsafeBytes()), TxRlp.uint(nonce)));
        return Keccak.hash(Bytes.concat(new byte[] {MAGIC}, list));
    }

    /** The signer, or {@code null} when the signature is malformed (parity not 0/1, r or s out of range, s > n/2). */
    public Address authority() {
        if (yParity.compareTo(UInt256.ONE) > 0) return null;
        byte[] rb = r.toBytes(), sb = s.toBytes();
        if (!Secp256k1.isValidScalar(rb) || !Secp256k1.isValidScalar(sb) || !Secp256k1.isLowS(sb)) return null;
        return Secp256k1.recoverAddress(signingHash(), rb, sb, (int) yParity.u0());
    }

    /** Signs a tuple with a 32-byte private key (tests and tooling). */
    public static Authorization sign(UInt256 chainId, Address address, long nonce, byte[] privateKey) {
        Authorization unsigned = new Authorization(chainId, address, nonce, UInt256.ZERO, UInt256.ZERO, UInt256.ZERO);
        byte[][] sig = Secp256k1.sign(unsigned.signingHash(), privateKey);
        return new Authorization(chainId, address, nonce, UInt256.of(sig[2][0]), UInt256.fromBytes(sig[0]), UInt256.fromBytes(sig[1]));
    }

    byte[] encode() {
        return TxRlp.list(List.of(TxRlp.uint(chainId), TxRlp.string(address.unsafeBytes()), TxRlp.uint(nonce),
                TxRlp.uint(yParity), TxRlp.uint(r), TxRlp.uint(s)));
    }
}
