package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;

/**
 * What the interpreter may ask of the world during one transaction. {@link Journal} is the
 * implementation: it answers from a {@link StateReader} and buffers every change so that a call frame
 * can be undone back to a {@link #checkpoint()}.
 */
public interface Host {
    /** The account is in state (pre-EIP-161 "exists"), including one created earlier in this transaction. */
    boolean exists(Address a);

    /** EIP-161 "empty": absent, or nonce 0, balance 0 and no code. */
    boolean isEmpty(Address a);

    UInt256 balance(Address a);

    long nonce(Address a);

    Code code(Address a);

    /** EXTCODEHASH semantics (EIP-1052): zero for an absent or empty account. */
    Hash codeHash(Address a);

    UInt256 sload(Address a, UInt256 key);

    /**
     * SLOAD in place: replaces the key at {@code s[t..t+3]} (limbs, least significant first) with the slot's value.
     * The interpreter's path; a host may answer it without making a key object ({@link Journal} does).
     */
    default void sload(Address a, long[] s, int t) {
        sload(a, UInt256.ofLimbs(s, t)).toLimbs(s, t);
    }

    /** The slot's value at the start of the transaction (EIP-2200's "original value"). */
    UInt256 originalStorage(Address a, UInt256 key);

    void sstore(Address a, UInt256 key, UInt256 value);

    /** The slot's current value for the key at {@code s[t..t+3]} (the stack is not changed). */
    default UInt256 storageValue(Address a, long[] s, int t) {
        return sload(a, UInt256.ofLimbs(s, t));
    }

    /** {@link #originalStorage(Address, UInt256)} for the key at {@code s[t..t+3]}. */
    default UInt256 originalStorage(Address a, long[] s, int t) {
        return originalStorage(a, UInt256.ofLimbs(s, t));
    }

    /** SSTORE of the word at {@code s[v..v+3]} to the key at {@code s[t..t+3]}. */
    default void sstore(Address a, long[] s, int t, int v) {
        sstore(a, UInt256.ofLimbs(s, t), UInt256.ofLimbs(s, v));
    }

    /**
     * Whether this host records a storage slot that a transaction only adds to as a delta ({@link #sloadForAdd});
     * false: the interpreter makes plain SLOADs and SSTOREs.
     */
    default boolean storageDeltas() {
        return false;
    }

    /**
     * SLOAD in place at an instruction whose value only feeds an ADD stored back to the same slot
     * ({@link Code#sloadAdds}); the value is the same as {@link #sload(Address, long[], int)}'s. Made only when
     * {@link #storageDeltas()}.
     */
    default void sloadForAdd(Address a, long[] s, int t, long frame, int pc) {
        sload(a, s, t);
    }

    /**
     * SSTORE in place of the sum of such a pair ({@link Code#sstoreAdds}) at {@code pc} of {@code code}; made only when
     * {@link #storageDeltas()}. It completes a pair only if the frame activation ({@code frame}) has one
     * {@link #sloadForAdd} pending, at an SLOAD that {@code code} pairs with this SSTORE ({@link Code#addPair}), on
     * the same slot: the analysis proves that the first store after such a load stores the load's value plus an
     * amount (not always that the key is the same item).
     */
    default void sstoreAdded(Address a, long[] s, int t, int v, long frame, Code code, int pc) {
        sstore(a, s, t, v);
    }

    UInt256 tload(Address a, UInt256 key);

    /** TLOAD in place, as {@link #sload(Address, long[], int)}. */
    default void tload(Address a, long[] s, int t) {
        tload(a, UInt256.ofLimbs(s, t)).toLimbs(s, t);
    }

    void tstore(Address a, UInt256 key, UInt256 value);

    /** Marks the address warm (EIP-2929); returns whether it already was. */
    boolean warmAccount(Address a);

    /** Marks the slot warm (EIP-2929); returns whether it already was. */
    boolean warmSlot(Address a, UInt256 key);

    /** {@link #warmSlot(Address, UInt256)} for the key at {@code s[t..t+3]}, as {@link #sload(Address, long[], int)} takes it. */
    default boolean warmSlot(Address a, long[] s, int t) {
        return warmSlot(a, UInt256.ofLimbs(s, t));
    }

    void addBalance(Address a, UInt256 amount);

    /** Moves value; false (and nothing changes) when {@code from} holds less than {@code amount}. */
    boolean transfer(Address from, Address to, UInt256 amount);

    void incrementNonce(Address a);

    /** Creates (or resets) the account for CREATE: empty storage, given nonce, balance kept. */
    void createAccount(Address a, long nonce);

    void setCode(Address a, byte[] code);

    /** EIP-161 touch: an empty touched account is deleted at the end of the transaction. */
    void touch(Address a);

    void log(Log log);

    /** SELFDESTRUCT: moves the balance and records the destruction under this fork's rules (EIP-6780). */
    void selfDestruct(Address a, Address beneficiary);

    /** True when the account has already self-destructed in this transaction. */
    boolean hasSelfDestructed(Address a);

    void addRefund(long gas);

    void subRefund(long gas);

    long refund();

    int checkpoint();

    void revertTo(int checkpoint);

    Hash blockHash(long number);
}
