package dev.lanes.node;

import dev.lanes.evm.precompile.KzgTrustedSetup;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpItem;
import ethereum.ckzg4844.CKZG4844JNI;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The network form of a blob transaction (EIP-4844), as {@code eth_sendRawTransaction} receives it:
 * {@code 0x03 || rlp([tx_payload_body, blobs, commitments, proofs])} with one blob proof per blob, or, from Osaka
 * (EIP-7594), {@code 0x03 || rlp([tx_payload_body, 1, blobs, commitments, cell_proofs])} with 128 cell proofs per
 * blob. {@link #unwrap} checks the sidecar against the transaction (counts, versioned hashes) and verifies every
 * proof with c-kzg, then returns the transaction in its canonical (block) form, without the sidecar: the node
 * keeps no blobs, there is no blob pool to serve them from.
 */
public final class BlobSidecar {
    public static final int WRAPPER_VERSION_CELL_PROOFS = 1;

    private BlobSidecar() {}

    /** True when {@code raw} is a type-3 envelope whose payload is the network wrapper (a list first). */
    public static boolean isNetworkForm(byte[] raw) {
        if (raw.length < 2 || raw[0] != TxType.BLOB.id) return false;
        try {
            RlpItem outer = Rlp.decode(Arrays.copyOfRange(raw, 1, raw.length));
            return outer.isList() && !outer.items().isEmpty() && outer.items().get(0).isList();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The verified transaction of a network-form blob transaction.
     *
     * @throws IllegalArgumentException naming what is wrong: shape, counts, a versioned hash, a proof
     */
    public static Transaction unwrap(byte[] raw) {
        RlpItem outer;
        try {
            outer = Rlp.decode(Arrays.copyOfRange(raw, 1, raw.length));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("blob transaction wrapper: " + e.getMessage());
        }
        List<RlpItem> items = outer.items();
        int version;
        List<RlpItem> blobs, commitments, proofs;
        if (items.size() == 4) {
            version = 0;
            blobs = list(items.get(1), "blobs");
            commitments = list(items.get(2), "commitments");
            proofs = list(items.get(3), "proofs");
        } else if (items.size() == 5) {
            byte[] v = items.get(1).isList() ? null : items.get(1).bytes();
            if (v == null || v.length != 1 || v[0] != WRAPPER_VERSION_CELL_PROOFS)
                throw new IllegalArgumentException("blob transaction wrapper: unknown version");
            version = WRAPPER_VERSION_CELL_PROOFS;
            blobs = list(items.get(2), "blobs");
            commitments = list(items.get(3), "commitments");
            proofs = list(items.get(4), "cell proofs");
        } else {
            throw new IllegalArgumentException("blob transaction wrapper: expected 4 or 5 elements, got " + items.size());
        }
        byte[] canonical = concat(new byte[] {(byte) TxType.BLOB.id}, Rlp.encode(items.get(0)));
        Transaction tx = Transaction.decode(canonical);
        List<Hash> hashes = tx.blobVersionedHashes();
        int n = hashes.size();
        if (blobs.size() != n || commitments.size() != n)
            throw new IllegalArgumentException("blob transaction wrapper: " + blobs.size() + " blobs and " + commitments.size()
                    + " commitments for " + n + " versioned hashes");
        int perBlob = version == 0 ? 1 : CKZG4844JNI.CELLS_PER_EXT_BLOB;
        if (proofs.size() != n * perBlob)
            throw new IllegalArgumentException("blob transaction wrapper: " + proofs.size() + " proofs, expected " + n * perBlob);
        byte[] blobBytes = join(blobs, CKZG4844JNI.BYTES_PER_BLOB, "blob");
        byte[] commitmentBytes = join(commitments, CKZG4844JNI.BYTES_PER_COMMITMENT, "commitment");
        byte[] proofBytes = join(proofs, CKZG4844JNI.BYTES_PER_PROOF, "proof");
        for (int i = 0; i < n; i++) {
            if (!versionedHash(commitments.get(i).bytes()).equals(hashes.get(i)))
                throw new IllegalArgumentException("blob " + i + ": commitment does not match versioned hash " + hashes.get(i));
        }
        if (!KzgTrustedSetup.ensureLoaded()) throw new IllegalStateException("KZG is not available in this process");
        boolean ok;
        try {
            if (version == 0) {
                ok = CKZG4844JNI.verifyBlobKzgProofBatch(blobBytes, commitmentBytes, proofBytes, n);
            } else {
                // Cell proofs cover the extended blob: compute each blob's cells, then check all at once.
                int cells = CKZG4844JNI.CELLS_PER_EXT_BLOB;
                ByteArrayOutputStream allCells = new ByteArrayOutputStream(), cellCommitments = new ByteArrayOutputStream();
                long[] indices = new long[n * cells];
                for (int i = 0; i < n; i++) {
                    allCells.writeBytes(CKZG4844JNI.computeCells(blobs.get(i).bytes()));
                    for (int c = 0; c < cells; c++) {
                        cellCommitments.writeBytes(commitments.get(i).bytes());
                        indices[i * cells + c] = c;
                    }
                }
                ok = CKZG4844JNI.verifyCellKzgProofBatch(cellCommitments.toByteArray(), indices, allCells.toByteArray(), proofBytes);
            }
        } catch (RuntimeException e) {
            // c-kzg refuses malformed inputs (a field element out of range, a point not on the curve) by throwing.
            throw new IllegalArgumentException("blob KZG verification failed: " + e.getMessage());
        }
        if (!ok) throw new IllegalArgumentException("blob KZG proofs do not verify");
        return tx;
    }

    /** EIP-4844: 0x01 || sha256(commitment)[1:]. */
    public static Hash versionedHash(byte[] commitment) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(commitment);
            h[0] = Transaction.VERSIONED_HASH_VERSION_KZG;
            return Hash.adopt(h);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<RlpItem> list(RlpItem item, String what) {
        if (!item.isList()) throw new IllegalArgumentException("blob transaction wrapper: " + what + " is not a list");
        return item.items();
    }

    private static byte[] join(List<RlpItem> items, int size, String what) {
        byte[] out = new byte[items.size() * size];
        for (int i = 0; i < items.size(); i++) {
            RlpItem it = items.get(i);
            if (it.isList() || it.bytes().length != size)
                throw new IllegalArgumentException("blob transaction wrapper: " + what + " " + i + " is not " + size + " bytes");
            System.arraycopy(it.bytes(), 0, out, i * size, size);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
