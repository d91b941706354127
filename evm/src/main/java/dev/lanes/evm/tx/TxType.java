package dev.lanes.evm.tx;

import dev.lanes.evm.Fork;

/** The transaction envelopes Lanes decodes, each with the fork that introduced it. */
public enum TxType {
    /** The original RLP list; not an EIP-2718 envelope, it has no type byte on the wire. */
    LEGACY(0x00, Fork.FRONTIER, "legacy transaction", 9),
    /** EIP-2930: optional access lists. */
    ACCESS_LIST(0x01, Fork.BERLIN, "EIP-2930 transaction", 11),
    /** EIP-1559: priority fee and fee cap instead of a gas price. */
    DYNAMIC_FEE(0x02, Fork.LONDON, "EIP-1559 transaction", 12),
    /** EIP-4844: blob-carrying transaction (the signed form, without the blob sidecar). */
    BLOB(0x03, Fork.CANCUN, "EIP-4844 transaction", 14),
    /** EIP-7702: set-code transaction carrying authorizations that delegate EOAs to code. */
    SET_CODE(0x04, Fork.PRAGUE, "EIP-7702 transaction", 13);

    /** The EIP-2718 type byte. */
    public final int id;
    /** The first fork in which transactions of this type are valid. */
    public final Fork since;
    final String label;
    /** Number of RLP fields in the signed payload. */
    final int fieldCount;

    TxType(int id, Fork since, String label, int fieldCount) {
        this.id = id;
        this.since = since;
        this.label = label;
        this.fieldCount = fieldCount;
    }

    /** Resolves the first byte of an EIP-2718 typed transaction (0x00..0x7f). */
    static TxType ofTypeByte(int b) {
        return switch (b) {
            case 0x01 -> ACCESS_LIST;
            case 0x02 -> DYNAMIC_FEE;
            case 0x03 -> BLOB;
            case 0x00 -> throw new IllegalArgumentException(
                    "transaction type 0x00 does not exist as an envelope: legacy transactions are bare RLP lists");
            case 0x04 -> SET_CODE;
            default -> throw new IllegalArgumentException(String.format("unsupported transaction type 0x%02x", b));
        };
    }
}
