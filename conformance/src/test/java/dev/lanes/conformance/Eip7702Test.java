package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Authorization;
import dev.lanes.evm.tx.IntrinsicGas;
import dev.lanes.evm.tx.InvalidTransactionException;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import dev.lanes.state.WorldState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EIP-7702 set-code transactions: encoding, authorization processing, delegated execution and gas. */
class Eip7702Test {
    static final byte[] SENDER_KEY = Hex.decode("0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
    static final byte[] AUTHORITY_KEY = Hex.decode("0x8a1f9a8f95be41cd7ccb6168179afb4504aefe388d1e14474d32c45c72ce7b7a");
    static final Address SENDER = Secp256k1.addressFromPrivate(SENDER_KEY);
    static final Address AUTHORITY = Secp256k1.addressFromPrivate(AUTHORITY_KEY);
    /** PUSH1 0x2a PUSH1 0x00 SSTORE STOP: stores 42 in slot 0 of whatever account runs it. */
    static final Address STORER = Address.fromHex("0x00000000000000000000000000000000000c0de1");
    static final byte[] STORER_CODE = Hex.decode("0x602a60005500");
    static final ForkRules PRAGUE = ForkRules.of(Fork.PRAGUE);
    static final BlockEnv BLOCK = new BlockEnv(Address.fromHex("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"), 1, 1000,
            30_000_000, UInt256.of(7), UInt256.ZERO, UInt256.ONE, UInt256.ONE);

    static WorldState state() {
        WorldState s = new WorldState();
        s.put(SENDER, 0, UInt256.of(1_000_000_000_000L), new byte[0], Map.of());
        s.put(AUTHORITY, 5, UInt256.of(1), new byte[0], Map.of());
        s.put(STORER, 1, UInt256.ZERO, STORER_CODE, Map.of());
        return s;
    }

    static Transaction setCodeTx(List<Authorization> auths) {
        return Transaction.builder(TxType.SET_CODE).chainId(1).nonce(0).maxFeePerGas(UInt256.of(10))
                .maxPriorityFeePerGas(UInt256.of(1)).gasLimit(200_000).to(AUTHORITY).authorizationList(auths)
                .sign(SENDER_KEY);
    }

    static TxResult run(WorldState s, Transaction tx) {
        tx.validate(Fork.PRAGUE, 1);
        TxResult r = TransactionProcessor.execute(new Evm(), tx, tx.sender(), BLOCK, s, PRAGUE, null);
        s.apply(r.changes());
        return r;
    }

    @Test void encodingRoundTrips() {
        Transaction tx = setCodeTx(List.of(Authorization.sign(UInt256.ONE, STORER, 5, AUTHORITY_KEY)));
        Transaction back = Transaction.decode(tx.encoded());
        assertEquals(TxType.SET_CODE, back.type());
        assertEquals(tx.hash(), back.hash());
        assertEquals(SENDER, back.sender());
        assertEquals(1, back.authorizationList().size());
        assertEquals(AUTHORITY, back.authorizationList().getFirst().authority());
        assertEquals(0x04, tx.encoded()[0]);
    }

    @Test void delegatesAndRunsTargetCodeInAuthorityContext() {
        WorldState s = state();
        TxResult r = run(s, setCodeTx(List.of(Authorization.sign(UInt256.ONE, STORER, 5, AUTHORITY_KEY))));
        assertTrue(r.success());
        assertEquals(6, s.account(AUTHORITY).nonce());
        assertEquals(Code.analyze(null, Code.delegationTo(STORER)).hash(), s.account(AUTHORITY).codeHash());
        assertEquals(UInt256.of(42), s.storage(AUTHORITY, UInt256.ZERO));
        assertEquals(UInt256.ZERO, s.storage(STORER, UInt256.ZERO));
        // 21,000 + 25,000 per authorization; execution: 2 x PUSH1 + SSTORE (cold slot 2,100 + set 20,000);
        // the authority existed, so 12,500 is refunded (below the 1/5 cap).
        long before = 21_000 + IntrinsicGas.PER_EMPTY_ACCOUNT_COST + 3 + 3 + 2_100 + 20_000;
        assertEquals(before - (IntrinsicGas.PER_EMPTY_ACCOUNT_COST - IntrinsicGas.PER_AUTH_BASE_COST), r.gasUsed());
    }

    @Test void invalidAuthorizationsAreSkippedNotFatal() {
        WorldState s = state();
        TxResult r = run(s, setCodeTx(List.of(
                Authorization.sign(UInt256.of(2), STORER, 5, AUTHORITY_KEY),    // another chain
                Authorization.sign(UInt256.ONE, STORER, 4, AUTHORITY_KEY))));  // stale nonce
        assertTrue(r.success());
        assertEquals(5, s.account(AUTHORITY).nonce());
        assertEquals(Hash.EMPTY_CODE, s.account(AUTHORITY).codeHash());
        assertEquals(UInt256.ZERO, s.storage(AUTHORITY, UInt256.ZERO));
    }

    @Test void chainIdZeroIsValidAnywhereAndZeroAddressClearsDelegation() {
        WorldState s = state();
        run(s, setCodeTx(List.of(Authorization.sign(UInt256.ZERO, STORER, 5, AUTHORITY_KEY))));
        assertNotEquals(Hash.EMPTY_CODE, s.account(AUTHORITY).codeHash());
        Transaction clear = Transaction.builder(TxType.SET_CODE).chainId(1).nonce(1).maxFeePerGas(UInt256.of(10))
                .maxPriorityFeePerGas(UInt256.ONE).gasLimit(200_000).to(STORER)
                .authorizationList(List.of(Authorization.sign(UInt256.ONE, Address.ZERO, 6, AUTHORITY_KEY)))
                .sign(SENDER_KEY);
        run(s, clear);
        assertEquals(Hash.EMPTY_CODE, s.account(AUTHORITY).codeHash());
        assertEquals(7, s.account(AUTHORITY).nonce());
    }

    @Test void emptyAuthorizationListAndCreationAreInvalid() {
        assertThrows(InvalidTransactionException.class, () -> setCodeTx(List.of()).validate(Fork.PRAGUE, 1));
        assertThrows(IllegalStateException.class, () -> Transaction.builder(TxType.SET_CODE).chainId(1)
                .authorizationList(List.of(Authorization.sign(UInt256.ONE, STORER, 0, AUTHORITY_KEY))).sign(SENDER_KEY));
        Transaction tx = setCodeTx(List.of(Authorization.sign(UInt256.ONE, STORER, 5, AUTHORITY_KEY)));
        assertThrows(InvalidTransactionException.class, () -> tx.validate(Fork.CANCUN, 1), "type 4 before Prague");
    }

    @Test void delegatedSenderMayStillSend() {
        WorldState s = state();
        run(s, setCodeTx(List.of(Authorization.sign(UInt256.ONE, STORER, 5, AUTHORITY_KEY))));
        Transaction fromAuthority = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(6).maxFeePerGas(UInt256.of(10))
                .maxPriorityFeePerGas(UInt256.ONE).gasLimit(21_000).to(SENDER).sign(AUTHORITY_KEY);
        WorldState funded = s;
        funded.put(AUTHORITY, 6, UInt256.of(1_000_000_000L), Code.delegationTo(STORER), Map.of());
        assertTrue(run(funded, fromAuthority).success(), "EIP-3607 exempts delegated accounts");
    }

    @Test void callingADelegatedAccountPaysForItsTarget() {
        WorldState s = state();
        s.put(AUTHORITY, 6, UInt256.ONE, Code.delegationTo(STORER), Map.of()); // delegated, slot 0 still empty
        // CALL(gas 0xffff, AUTHORITY, 0, 0, 0, 0, 0) then STOP.
        byte[] caller = Hex.decode("0x6000600060006000600073" + AUTHORITY.toString().substring(2) + "61fffff100");
        Address callerAddr = Address.fromHex("0x00000000000000000000000000000000000ca11e");
        s.put(callerAddr, 1, UInt256.ZERO, caller, Map.of());
        Transaction tx = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(0).maxFeePerGas(UInt256.of(10))
                .maxPriorityFeePerGas(UInt256.ONE).gasLimit(100_000).to(callerAddr).sign(SENDER_KEY);
        TxResult r = run(s, tx);
        assertTrue(r.success());
        assertEquals(UInt256.of(42), s.storage(AUTHORITY, UInt256.ZERO));
        long pushes = 5 * 3 + 3 + 3;
        long call = 100 + 2_500 /* cold AUTHORITY */ + 2_600 /* cold delegation target */;
        long callee = 3 + 3 + 2_100 + 20_000;
        assertEquals(21_000 + pushes + call + callee, r.gasUsed());
    }
}
