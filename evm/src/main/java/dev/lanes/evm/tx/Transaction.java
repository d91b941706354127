package dev.lanes.evm.tx;

import dev.lanes.evm.Fork;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable signed transaction of any {@link TxType}, kept together with its canonical encoding.
 *
 * <p>Fields that a type lacks take neutral values, so that execution can treat every type alike:
 * <ul>
 *   <li>legacy and EIP-2930 transactions report their gas price as both {@link #maxFeePerGas()} and
 *       {@link #maxPriorityFeePerGas()}, which makes EIP-1559's effective-price formula give the gas price;
 *   <li>{@link #accessList()} and {@link #blobVersionedHashes()} are empty where the type has none;
 *   <li>{@link #chainId()} is {@code null} only for a legacy transaction signed without EIP-155;
 *   <li>{@link #maxFeePerBlobGas()} is {@code null} except for blob transactions.
 * </ul>
 * Nonce and gas limit are unsigned 64-bit values held in a {@code long}, as the protocol allows the full
 * range; compare them with {@link Long#compareUnsigned}.
 *
 * <p>{@link #decode} checks the encoding only. The rules that depend on the fork and the chain, including
 * whether the signature recovers a sender, are in {@link #validate}.
 */
public final class Transaction {
    /** EIP-3860 (Shanghai): init code may be at most twice the EIP-170 code size limit. */
    public static final int MAX_INITCODE_SIZE = 2 * 24_576;
    /** EIP-7825 (Osaka): no single transaction may ask for more gas than this. */
    public static final long MAX_GAS_LIMIT_OSAKA = 1L << 24;
    /** EIP-4844: the version byte of a KZG commitment's versioned hash. */
    public static final byte VERSIONED_HASH_VERSION_KZG = 0x01;

    private static final UInt256 V27 = UInt256.of(27), V28 = UInt256.of(28), V35 = UInt256.of(35);

    private final TxType type;
    private final UInt256 chainId;
    private final long nonce;
    private final UInt256 maxPriorityFeePerGas;
    private final UInt256 maxFeePerGas;
    private final long gasLimit;
    private final Address to;
    private final UInt256 value;
    private final byte[] data;
    private final List<AccessListEntry> accessList;
    private final UInt256 maxFeePerBlobGas;
    private final List<Hash> blobVersionedHashes;
    private final List<Authorization> authorizationList;
    private final UInt256 v, r, s;
    private final byte[] encoded;

    // Derived lazily; racing threads compute the same value, so plain volatile publication suffices.
    private volatile Hash hash;
    private volatile Address sender;

    private Transaction(Builder b, UInt256 v, UInt256 r, UInt256 s, byte[] encoded) {
        this.type = b.type;
        this.chainId = b.chainId;
        this.nonce = b.nonce;
        this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
        this.maxFeePerGas = b.maxFeePerGas;
        this.gasLimit = b.gasLimit;
        this.to = b.to;
        this.value = b.value;
        this.data = b.data;
        this.accessList = List.copyOf(b.accessList);
        this.maxFeePerBlobGas = b.maxFeePerBlobGas;
        this.blobVersionedHashes = List.copyOf(b.blobVersionedHashes);
        this.authorizationList = List.copyOf(b.authorizationList);
        this.v = v;
        this.r = r;
        this.s = s;
        this.encoded = encoded != null ? encoded : encode();
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes the canonical bytes of a signed transaction: a legacy RLP list, or an EIP-2718 type byte
     * followed by the RLP list of that type. Anything else, including non-canonical RLP, integers with
     * leading zeros, over-long values and trailing bytes, is rejected with an
     * {@link IllegalArgumentException} naming the offending field.
     */
    public static Transaction decode(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length == 0) throw new IllegalArgumentException("transaction: empty input");
        byte[] copy = raw.clone();
        int first = copy[0] & 0xff;
        if (first >= 0xc0) return decodeFields(TxType.LEGACY, copy, 0);
        if (first >= 0x80)
            throw new IllegalArgumentException("transaction: starts with an RLP string, neither a legacy transaction"
                    + " (an RLP list) nor an EIP-2718 type byte (0x00-0x7f)");
        return decodeFields(TxType.ofTypeByte(first), copy, 1);
    }

    private static Transaction decodeFields(TxType type, byte[] raw, int off) {
        List<TxRlp.Item> f = TxRlp.decodeList(raw, off, type.label);
        if (type == TxType.BLOB && !f.isEmpty() && f.get(0).isList())
            throw new IllegalArgumentException(type.label + ": network form with blobs, commitments and proofs;"
                    + " only the signed transaction without its sidecar is accepted");
        if (f.size() != type.fieldCount)
            throw new IllegalArgumentException(type.label + ": must have " + type.fieldCount + " fields, got " + f.size());
        Builder b = new Builder(type);
        int i = 0;
        if (type != TxType.LEGACY) b.chainId = f.get(i++).uint256("chainId");
        b.nonce = f.get(i++).uint64("nonce");
        if (type == TxType.LEGACY || type == TxType.ACCESS_LIST) {
            b.gasPrice(f.get(i++).uint256("gasPrice"));
        } else {
            b.maxPriorityFeePerGas = f.get(i++).uint256("maxPriorityFeePerGas");
            b.maxFeePerGas = f.get(i++).uint256("maxFeePerGas");
        }
        b.gasLimit = f.get(i++).uint64("gasLimit");
        byte[] toBytes = f.get(i++).bytes("to");
        if (toBytes.length == 0 && (type == TxType.BLOB || type == TxType.SET_CODE))
            throw new IllegalArgumentException(type.label + ": to: " + type.label + "s cannot create contracts");
        if (toBytes.length != 0 && toBytes.length != Address.LENGTH)
            throw new IllegalArgumentException("to: must be empty or 20 bytes, got " + toBytes.length);
        b.to = toBytes.length == 0 ? null : Address.wrap(toBytes);
        b.value = f.get(i++).uint256("value");
        b.data = f.get(i++).bytes("data");
        if (type != TxType.LEGACY) b.accessList = decodeAccessList(f.get(i++));
        if (type == TxType.BLOB) {
            b.maxFeePerBlobGas = f.get(i++).uint256("maxFeePerBlobGas");
            List<Hash> hashes = new ArrayList<>();
            for (TxRlp.Item h : f.get(i++).list("blobVersionedHashes"))
                hashes.add(Hash.adopt(h.fixed("blobVersionedHashes entry", Hash.LENGTH)));
            b.blobVersionedHashes = hashes;
        }
        if (type == TxType.SET_CODE) b.authorizationList = decodeAuthorizations(f.get(i++));
        UInt256 v;
        if (type == TxType.LEGACY) {
            v = f.get(i++).uint256("v");
            b.chainId = chainIdOfLegacyV(v);
        } else {
            long yParity = f.get(i++).uint64("yParity");
            if (yParity != 0 && yParity != 1) throw new IllegalArgumentException("yParity: must be 0 or 1, got " + Long.toUnsignedString(yParity));
            v = UInt256.of(yParity);
        }
        UInt256 r = f.get(i++).uint256("r");
        UInt256 s = f.get(i).uint256("s");
        return new Transaction(b, v, r, s, raw);
    }

    private static List<AccessListEntry> decodeAccessList(TxRlp.Item item) {
        List<AccessListEntry> out = new ArrayList<>();
        for (TxRlp.Item entry : item.list("accessList")) {
            List<TxRlp.Item> pair = entry.list("accessList entry");
            if (pair.size() != 2)
                throw new IllegalArgumentException("accessList entry: must be [address, storageKeys], got " + pair.size() + " items");
            Address address = Address.wrap(pair.get(0).fixed("accessList address", Address.LENGTH));
            List<Hash> keys = new ArrayList<>();
            for (TxRlp.Item k : pair.get(1).list("accessList storageKeys"))
                keys.add(Hash.adopt(k.fixed("accessList storage key", Hash.LENGTH)));
            out.add(new AccessListEntry(address, keys));
        }
        return out;
    }

    private static List<Authorization> decodeAuthorizations(TxRlp.Item item) {
        List<Authorization> out = new ArrayList<>();
        for (TxRlp.Item entry : item.list("authorizationList")) {
            List<TxRlp.Item> t = entry.list("authorization");
            if (t.size() != 6)
                throw new IllegalArgumentException("authorization: must be [chainId, address, nonce, yParity, r, s], got " + t.size() + " items");
            out.add(new Authorization(t.get(0).uint256("authorization chainId"),
                    Address.wrap(t.get(1).fixed("authorization address", Address.LENGTH)),
                    t.get(2).uint64("authorization nonce"), t.get(3).uint256("authorization yParity"),
                    t.get(4).uint256("authorization r"), t.get(5).uint256("authorization s")));
        }
        return out;
    }

    /** EIP-155: v = 35 + 2·chainId + yParity; 27 and 28 (and any other value below 35) carry no chain id. */
    private static UInt256 chainIdOfLegacyV(UInt256 v) {
        if (v.lessThan(V35)) return null;
        return UInt256.fromBigInteger(v.sub(V35).toBigInteger().shiftRight(1));
    }

    // ---------------------------------------------------------------- encoding and hashes

    /** The canonical encoding: what {@link #decode} accepts and what {@link #hash()} hashes. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** keccak256 of the canonical encoding (for typed transactions, including the type byte). */
    public Hash hash() {
        Hash h = hash;
        if (h == null) hash = h = Keccak.hashOf(encoded);
        return h;
    }

    /**
     * The digest the sender signed: keccak256 of the unsigned fields, with EIP-155's (chainId, 0, 0) appended
     * for a legacy transaction that has a chain id, and behind the type byte for typed transactions.
     */
    public Hash signingHash() {
        List<byte[]> fields = fields(false);
        if (type == TxType.LEGACY) {
            if (chainId != null) {
                fields.add(TxRlp.uint(chainId));
                fields.add(TxRlp.uint(0));
                fields.add(TxRlp.uint(0));
            }
            return Keccak.hashOf(TxRlp.list(fields));
        }
        return Keccak.hashOf(Bytes.concat(new byte[] {(byte) type.id}, TxRlp.list(fields)));
    }

    private byte[] encode() {
        byte[] list = TxRlp.list(fields(true));
        return type == TxType.LEGACY ? list : Bytes.concat(new byte[] {(byte) type.id}, list);
    }

    private List<byte[]> fields(boolean withSignature) {
        List<byte[]> f = new ArrayList<>(14);
        if (type != TxType.LEGACY) f.add(TxRlp.uint(chainId));
        f.add(TxRlp.uint(nonce));
        if (type == TxType.LEGACY || type == TxType.ACCESS_LIST) {
            f.add(TxRlp.uint(maxFeePerGas));
        } else {
            f.add(TxRlp.uint(maxPriorityFeePerGas));
            f.add(TxRlp.uint(maxFeePerGas));
        }
        f.add(TxRlp.uint(gasLimit));
        f.add(TxRlp.string(to == null ? Bytes.EMPTY : to.unsafeBytes()));
        f.add(TxRlp.uint(value));
        f.add(TxRlp.string(data));
        if (type != TxType.LEGACY) {
            List<byte[]> entries = new ArrayList<>(accessList.size());
            for (AccessListEntry e : accessList) {
                List<byte[]> keys = new ArrayList<>(e.storageKeys().size());
                for (Hash k : e.storageKeys()) keys.add(TxRlp.string(k.unsafeBytes()));
                entries.add(TxRlp.list(List.of(TxRlp.string(e.address().unsafeBytes()), TxRlp.list(keys))));
            }
            f.add(TxRlp.list(entries));
        }
        if (type == TxType.BLOB) {
            f.add(TxRlp.uint(maxFeePerBlobGas));
            List<byte[]> hashes = new ArrayList<>(blobVersionedHashes.size());
            for (Hash h : blobVersionedHashes) hashes.add(TxRlp.string(h.unsafeBytes()));
            f.add(TxRlp.list(hashes));
        }
        if (type == TxType.SET_CODE) {
            List<byte[]> auths = new ArrayList<>(authorizationList.size());
            for (Authorization a : authorizationList) auths.add(a.encode());
            f.add(TxRlp.list(auths));
        }
        if (withSignature) {
            f.add(TxRlp.uint(v));
            f.add(TxRlp.uint(r));
            f.add(TxRlp.uint(s));
        }
        return f;
    }

    // ---------------------------------------------------------------- sender

    /**
     * The signer's address, recovered from (v, r, s) over {@link #signingHash()} and cached.
     *
     * @throws InvalidTransactionException when the signature values are out of range or recover no key
     */
    public Address sender() {
        Address a = sender;
        if (a != null) return a;
        int recId = recoveryId();
        if (recId < 0) throw new InvalidTransactionException("invalid signature: v = " + v + " is not a valid recovery id");
        if (!inScalarRange(r) || !inScalarRange(s)) throw new InvalidTransactionException("invalid signature: r or s out of range");
        a = Secp256k1.recoverAddress(signingHash().unsafeBytes(), r.toBytes(), s.toBytes(), recId);
        if (a == null) throw new InvalidTransactionException("invalid signature: no public key recovers from (r, s)");
        sender = a;
        return a;
    }

    /** The y parity of R: 0 or 1, or -1 for a legacy v that is neither 27/28 nor of EIP-155 form. */
    private int recoveryId() {
        if (type != TxType.LEGACY) return (int) v.u0();
        if (v.equals(V27) || v.equals(V28)) return (int) v.u0() - 27;
        if (chainId != null) return (int) (v.u0() - 35) & 1; // v = 35 + 2·chainId + parity
        return -1;
    }

    private static boolean inScalarRange(UInt256 x) {
        return Secp256k1.isValidScalar(x.toBytes());
    }

    // ---------------------------------------------------------------- validity

    /**
     * Checks everything that can be decided from the transaction alone under {@code fork} on the chain
     * {@code chainId}, in the order of the execution specification (decoding, {@code validate_transaction},
     * then the stateless part of {@code check_transaction}): the type is active; the gas limit covers the
     * intrinsic gas and, from Prague, the calldata floor (EIP-7623); the nonce is below 2^64 - 1 (EIP-2681);
     * init code size (EIP-3860); the per-transaction gas cap (EIP-7825); 1 <= r, s < n with s <= n/2 from
     * Homestead (EIP-2); the chain id and v match (EIP-155, from Spurious Dragon); the signature recovers a
     * sender; the priority fee does not exceed the fee cap (EIP-1559); blob hashes (EIP-4844); a set-code
     * transaction's authorizations (EIP-7702); and gas limit times fee cap fits in 256 bits (the
     * specification has no such rule: its balance check, which comes last, rejects the same transactions).
     *
     * <p>Checks that need state or the block (balance, account nonce, sender code, base fee, blob gas price,
     * blob count per block) belong to the executor ({@code TransactionProcessor}). The specification makes the
     * block's gas and blob-gas checks before the signature, fee and blob-hash checks here; a block executor
     * runs this method on every transaction first, so a transaction that breaks one of each is rejected for
     * the one here.
     *
     * @throws InvalidTransactionException naming the first rule broken
     */
    public void validate(Fork fork, long chainId) {
        if (!fork.isEnabled(type.since))
            throw new InvalidTransactionException(type.label + " is not valid before " + type.since.testName + " (fork " + fork.testName + ")");
        long intrinsic = Math.max(IntrinsicGas.of(this, fork), IntrinsicGas.floorOf(this, fork));
        if (Long.compareUnsigned(gasLimit, intrinsic) < 0)
            throw new InvalidTransactionException("gas limit " + Long.toUnsignedString(gasLimit) + " below intrinsic gas " + intrinsic);
        if (nonce == -1L) throw new InvalidTransactionException("nonce 2^64-1 is reserved (EIP-2681)");
        if (isCreate() && fork.isEnabled(Fork.SHANGHAI) && data.length > MAX_INITCODE_SIZE)
            throw new InvalidTransactionException("init code of " + data.length + " bytes exceeds " + MAX_INITCODE_SIZE + " (EIP-3860)");
        if (fork.isEnabled(Fork.OSAKA) && Long.compareUnsigned(gasLimit, MAX_GAS_LIMIT_OSAKA) > 0)
            throw new InvalidTransactionException("gas limit " + Long.toUnsignedString(gasLimit) + " exceeds the cap of 2^24 (EIP-7825)");
        byte[] rb = r.toBytes(), sb = s.toBytes();
        if (!Secp256k1.isValidScalar(rb) || !Secp256k1.isValidScalar(sb))
            throw new InvalidTransactionException("invalid signature: r and s must be in [1, n-1]");
        if (fork.isEnabled(Fork.HOMESTEAD) && !Secp256k1.isLowS(sb))
            throw new InvalidTransactionException("invalid signature: s above n/2 (EIP-2)");
        validateChainAndV(fork, UInt256.of(chainId));
        sender();
        if (maxFeePerGas.lessThan(maxPriorityFeePerGas))
            throw new InvalidTransactionException("maxPriorityFeePerGas " + maxPriorityFeePerGas + " exceeds maxFeePerGas " + maxFeePerGas);
        if (type == TxType.BLOB) {
            if (blobVersionedHashes.isEmpty()) throw new InvalidTransactionException("blob transaction without blobs");
            for (Hash h : blobVersionedHashes)
                if (h.unsafeBytes()[0] != VERSIONED_HASH_VERSION_KZG)
                    throw new InvalidTransactionException("blob versioned hash " + h + " has an unknown version");
        }
        if (type == TxType.SET_CODE && authorizationList.isEmpty())
            throw new InvalidTransactionException("set-code transaction with an empty authorization list (EIP-7702)");
        if (new BigInteger(Long.toUnsignedString(gasLimit)).multiply(maxFeePerGas.toBigInteger()).bitLength() > 256)
            throw new InvalidTransactionException("gas limit times fee cap exceeds 2^256-1");
    }

    private void validateChainAndV(Fork fork, UInt256 expected) {
        if (type != TxType.LEGACY) {
            if (!chainId.equals(expected)) throw new InvalidTransactionException("chain id " + chainId + ", expected " + expected);
            return;
        }
        if (v.equals(V27) || v.equals(V28)) return;
        if (chainId == null) throw new InvalidTransactionException("invalid signature: v = " + v);
        if (!fork.isEnabled(Fork.SPURIOUS_DRAGON))
            throw new InvalidTransactionException("invalid signature: EIP-155 v = " + v + " before Spurious Dragon");
        if (!chainId.equals(expected)) throw new InvalidTransactionException("chain id " + chainId + " (from v), expected " + expected);
    }

    // ---------------------------------------------------------------- accessors

    public TxType type() { return type; }

    /** {@code null} only for a legacy transaction signed without EIP-155 replay protection. */
    public UInt256 chainId() { return chainId; }

    /** Unsigned 64-bit. */
    public long nonce() { return nonce; }

    /** The legacy gas price; for EIP-1559 and blob transactions the fee cap, as the most the sender pays. */
    public UInt256 gasPrice() { return maxFeePerGas; }

    public UInt256 maxPriorityFeePerGas() { return maxPriorityFeePerGas; }

    public UInt256 maxFeePerGas() { return maxFeePerGas; }

    /** Unsigned 64-bit. */
    public long gasLimit() { return gasLimit; }

    /** The recipient, or {@code null} for a contract creation. */
    public Address to() { return to; }

    public boolean isCreate() { return to == null; }

    public UInt256 value() { return value; }

    public byte[] data() { return data.clone(); }

    /** Direct access for the executor; callers must not mutate it. */
    public byte[] unsafeData() { return data; }

    public List<AccessListEntry> accessList() { return accessList; }

    /** {@code null} unless this is a blob transaction. */
    public UInt256 maxFeePerBlobGas() { return maxFeePerBlobGas; }

    public List<Hash> blobVersionedHashes() { return blobVersionedHashes; }

    /** EIP-7702 authorizations; empty except for set-code transactions. */
    public List<Authorization> authorizationList() { return authorizationList; }

    /** The legacy v as signed (27/28 or EIP-155's 35 + 2·chainId + parity), or the y parity of a typed transaction. */
    public UInt256 v() { return v; }

    public UInt256 r() { return r; }

    public UInt256 s() { return s; }

    @Override public boolean equals(Object o) {
        return o instanceof Transaction t && Arrays.equals(t.encoded, encoded);
    }

    @Override public int hashCode() { return hash().hashCode(); }

    @Override public String toString() {
        return type.label + " " + hash() + " nonce " + Long.toUnsignedString(nonce) + " to " + (to == null ? "(create)" : to);
    }

    // ---------------------------------------------------------------- building

    public static Builder builder(TxType type) {
        return new Builder(type);
    }

    /** Collects the unsigned fields, then signs. Unset fields are zero, empty, or a contract creation. */
    public static final class Builder {
        private final TxType type;
        private UInt256 chainId;
        private long nonce;
        private UInt256 maxPriorityFeePerGas = UInt256.ZERO;
        private UInt256 maxFeePerGas = UInt256.ZERO;
        private long gasLimit;
        private Address to;
        private UInt256 value = UInt256.ZERO;
        private byte[] data = Bytes.EMPTY;
        private List<AccessListEntry> accessList = List.of();
        private UInt256 maxFeePerBlobGas;
        private List<Hash> blobVersionedHashes = List.of();
        private List<Authorization> authorizationList = List.of();

        private Builder(TxType type) {
            this.type = Objects.requireNonNull(type);
            if (type == TxType.BLOB) maxFeePerBlobGas = UInt256.ZERO;
        }

        /** Required for typed transactions; for legacy ones, {@code null} signs without EIP-155. */
        public Builder chainId(UInt256 chainId) { this.chainId = chainId; return this; }
        public Builder chainId(long chainId) { return chainId(UInt256.of(chainId)); }
        public Builder nonce(long nonce) { this.nonce = nonce; return this; }

        /** Legacy and EIP-2930 transactions: the gas price. */
        public Builder gasPrice(UInt256 gasPrice) {
            this.maxFeePerGas = gasPrice;
            this.maxPriorityFeePerGas = gasPrice;
            return this;
        }

        public Builder maxPriorityFeePerGas(UInt256 fee) { this.maxPriorityFeePerGas = fee; return this; }
        public Builder maxFeePerGas(UInt256 fee) { this.maxFeePerGas = fee; return this; }
        public Builder gasLimit(long gasLimit) { this.gasLimit = gasLimit; return this; }
        public Builder to(Address to) { this.to = to; return this; }
        public Builder value(UInt256 value) { this.value = value; return this; }
        public Builder data(byte[] data) { this.data = data.clone(); return this; }
        public Builder accessList(List<AccessListEntry> accessList) { this.accessList = List.copyOf(accessList); return this; }
        public Builder maxFeePerBlobGas(UInt256 fee) { this.maxFeePerBlobGas = fee; return this; }
        public Builder blobVersionedHashes(List<Hash> hashes) { this.blobVersionedHashes = List.copyOf(hashes); return this; }
        public Builder authorizationList(List<Authorization> list) { this.authorizationList = List.copyOf(list); return this; }

        /** Signs with a 32-byte private key. */
        public Transaction sign(byte[] privateKey) {
            checkShape();
            Transaction unsigned = new Transaction(this, UInt256.ZERO, UInt256.ZERO, UInt256.ZERO, null);
            byte[][] sig = Secp256k1.sign(unsigned.signingHash().unsafeBytes(), privateKey);
            int parity = sig[2][0];
            if (parity > 1) throw new IllegalStateException("recovery id " + parity + " cannot be expressed in v");
            UInt256 v = UInt256.of(parity);
            if (type == TxType.LEGACY) v = chainId == null ? V27.add(v) : V35.add(chainId.mul(2)).add(v);
            return withSignature(v, UInt256.fromBytes(sig[0]), UInt256.fromBytes(sig[1]));
        }

        /** Attaches given signature values: legacy v as signed, or the y parity for typed transactions. */
        public Transaction withSignature(UInt256 v, UInt256 r, UInt256 s) {
            checkShape();
            if (type != TxType.LEGACY) {
                if (v.compareTo(UInt256.ONE) > 0) throw new IllegalArgumentException("y parity must be 0 or 1, got " + v);
                return new Transaction(this, v, r, s, null);
            }
            // A legacy transaction carries its chain id only inside v, so v decides; a chain id set here must agree.
            UInt256 fromV = chainIdOfLegacyV(v);
            if (chainId != null && !chainId.equals(fromV))
                throw new IllegalArgumentException("v = " + v + " does not encode chain id " + chainId);
            Builder b = copy();
            b.chainId = fromV;
            return new Transaction(b, v, r, s, null);
        }

        /**
         * A transaction whose sender is given instead of recovered, for a development node's impersonated
         * accounts ({@code anvil_impersonateAccount}): the signature values must be well-formed (they are encoded
         * and hashed) but need not verify. Never use it for a transaction that came from outside.
         */
        public Transaction withImpersonatedSender(Address sender, UInt256 v, UInt256 r, UInt256 s) {
            Transaction t = withSignature(v, r, s);
            t.sender = sender;
            return t;
        }

        private void checkShape() {
            if (type != TxType.LEGACY && chainId == null) throw new IllegalStateException(type.label + " needs a chain id");
            if (type == TxType.BLOB && to == null) throw new IllegalStateException("blob transactions cannot create contracts");
            if (type == TxType.SET_CODE && to == null) throw new IllegalStateException("set-code transactions cannot create contracts");
        }

        private Builder copy() {
            Builder b = new Builder(type);
            b.chainId = chainId;
            b.nonce = nonce;
            b.maxPriorityFeePerGas = maxPriorityFeePerGas;
            b.maxFeePerGas = maxFeePerGas;
            b.gasLimit = gasLimit;
            b.to = to;
            b.value = value;
            b.data = data;
            b.accessList = accessList;
            b.maxFeePerBlobGas = maxFeePerBlobGas;
            b.blobVersionedHashes = blobVersionedHashes;
            b.authorizationList = authorizationList;
            return b;
        }
    }
}
