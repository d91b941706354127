package dev.lanes.executor.parallel;

import static dev.lanes.evm.Opcodes.*;

import dev.lanes.primitives.Address;
import java.io.ByteArrayOutputStream;

/**
 * The hand-assembled contracts of the differential test.
 *
 * <p>The centrepiece is the <em>hub</em>: a contract that interprets its calldata as a script of commands,
 * one after another, each an opcode byte followed by fixed-width big-endian arguments (nested calls and
 * creations carry a length-prefixed payload: the callee's script or the init code). An empty script (or an
 * unknown command) stops. So one contract covers storage read-modify-write on chosen slots, logs, reverts,
 * exceptional halts, nested calls of every kind with value, creations and self-destructs; and since
 * scripts nest, a random script is a random call tree. The same code runs at several addresses and behind
 * EIP-7702 delegations.
 *
 * <p>Memory: word 0 holds the script pointer, word 32 is scratch (log data, return data), payloads for
 * calls and creations are copied to {@code 0x100}.
 */
final class Contracts {
    private Contracts() {}

    private static final int DUP2 = DUP1 + 1, DUP3 = DUP1 + 2, SWAP2 = SWAP1 + 1, SWAP3 = SWAP1 + 2, LOG1 = LOG0 + 1;

    // ---- command bytes ----
    static final int C_INC = 0x01;          // slot(2): sstore(slot, sload(slot) + 1)
    static final int C_SET = 0x02;          // slot(2) value(1): sstore(slot, value)
    static final int C_REVERT = 0x04;       // revert(32 bytes: the script pointer)
    static final int C_INVALID = 0x05;      // INVALID
    static final int C_BURN = 0x06;         // mload far away: out of gas at once
    static final int C_CALL = 0x07;         // addr(20) value(2) gas(2) flags(1) len(2) script[len]
    static final int C_DELEGATECALL = 0x08; // same layout, value ignored
    static final int C_STATICCALL = 0x09;   // same layout, value ignored
    static final int C_CALLCODE = 0x0a;     // same layout
    static final int C_BALANCE = 0x0b;      // addr(20) mode(1)          -> observe(balance(addr))
    static final int C_SELFBALANCE = 0x0c;  // mode(1)                   -> observe(selfbalance)
    static final int C_EXTCODEHASH = 0x0d;  // addr(20) mode(1)          -> observe(extcodehash(addr))
    static final int C_EXTCODESIZE = 0x0e;  // addr(20) mode(1)          -> observe(extcodesize(addr))
    static final int C_TSTORE = 0x0f;       // slot(1) value(1)
    static final int C_TLOAD = 0x10;        // slot(1) mode(1)           -> observe(tload(slot))
    static final int C_SLOAD = 0x11;        // slot(2) mode(1)           -> observe(sload(slot))
    static final int C_BLOBHASH = 0x12;     // index(1) mode(1)          -> observe(blobhash(index))
    static final int C_CREATE = 0x13;       // value(2) flags(1) len(2) initcode[len]
    static final int C_CREATE2 = 0x14;      // value(2) flags(1) salt(1) len(2) initcode[len]
    static final int C_SELFDESTRUCT = 0x15; // beneficiary(20)
    static final int C_RETURN = 0x16;       // return(32 bytes: the script pointer)
    static final int C_BURN_LOOP = 0x17;    // an endless jump loop: out of gas after spending it all
    static final int C_COINBASE_BALANCE = 0x18; // mode(1)               -> observe(balance(coinbase))
    static final int C_SUB = 0x19;          // slot(2) amount(1): sstore(slot, sload(slot) + (0 - amount)), wrapping
    static final int C_SAFE_ADD = 0x1a;     // slot(2) amount(1): SafeMath's add through an internal function; reverts on overflow
    static final int C_CHECKED_ADD = 0x1b;  // slot(2) amount(1): solc 0.8's check (x > not(y) reverts) before the add
    static final int C_LOG0 = 0x20;         // LOGn = C_LOG0 + n: slot(2); data = sload(slot), topics slot, caller, address, callvalue

    /** Call flags: revert this frame when the call failed; log (success + 2 * returndatasize); send half the own balance. */
    static final int CALL_REVERT_ON_FAILURE = 1, CALL_LOG_RESULT = 2, CALL_HALF_BALANCE = 4;
    /** Create flags: call the new contract (empty input); log its address (zero when the creation failed); revert on failure. */
    static final int CREATE_THEN_CALL = 1, CREATE_LOG_ADDRESS = 2, CREATE_REVERT_ON_FAILURE = 4;
    /** Observe mode 0 logs the value (LOG1, topic 0x0b5e); mode m > 0 stores it in slot 0x10000 + m. */
    static final int OBSERVED_SLOT_BASE = 0x10000;

    static final byte[] HUB = hub();
    /** CALLER SELFDESTRUCT: any call destroys it (before Cancun) or empties it into the caller. */
    static final byte[] KILLER = {(byte) CALLER, (byte) SELFDESTRUCT};
    /** Increments slot 0 and logs the new value with LOG0. */
    static final byte[] COUNTER = new Asm().push(0).op(SLOAD).push(1).op(ADD).op(DUP1).push(0).op(SSTORE)
            .push(0).op(MSTORE).push(32).push(0).op(LOG0, STOP).build();

    // ------------------------------------------------------------------ the hub

    /** Pushes the {@code n}-byte big-endian argument at {@code off} bytes after the current command's opcode byte. */
    private static Asm arg(Asm a, int off, int n) {
        return a.push(off).push(0).op(MLOAD, ADD, CALLDATALOAD).push(256 - 8 * n).op(SHR);
    }

    private static Asm advance(Asm a, int n) {
        return a.push(0).op(MLOAD).push(n).op(ADD).push(0).op(MSTORE);
    }

    private static byte[] hub() {
        Asm a = new Asm();
        int[] ops = {C_INC, C_SET, C_REVERT, C_INVALID, C_BURN, C_CALL, C_DELEGATECALL, C_STATICCALL, C_CALLCODE, C_BALANCE,
            C_SELFBALANCE, C_EXTCODEHASH, C_EXTCODESIZE, C_TSTORE, C_TLOAD, C_SLOAD, C_BLOBHASH, C_CREATE, C_CREATE2,
            C_SELFDESTRUCT, C_RETURN, C_BURN_LOOP, C_COINBASE_BALANCE, C_SUB, C_SAFE_ADD, C_CHECKED_ADD, C_LOG0, C_LOG0 + 1, C_LOG0 + 2, C_LOG0 + 3, C_LOG0 + 4};
        // dispatch loop: the stack is empty at "loop"
        a.label("loop");
        a.op(CALLDATASIZE).push(0).op(MLOAD, LT, ISZERO).jumpi("end"); // ptr < size, else stop
        arg(a, 0, 1);
        for (int op : ops) a.op(DUP1).push(op).op(EQ).jumpi("c" + op);
        a.label("end").op(STOP);

        // shared tails
        a.label("doRevert"); // any stack
        a.push(0).op(MLOAD).push(32).op(MSTORE).push(32).push(32).op(REVERT);
        a.label("observe"); // [mode, value]
        a.push(32).op(MSTORE); // [mode]
        a.op(DUP1, ISZERO).jumpi("observeLog");
        a.push(32).op(MLOAD, SWAP1).push(OBSERVED_SLOT_BASE).op(ADD, SSTORE).jump("loop");
        a.label("observeLog"); // [mode]
        a.op(POP).push(0x0b5e).push(32).push(32).op(LOG1).jump("loop");

        a.label("c" + C_INC).op(POP);
        arg(a, 1, 2).op(DUP1, SLOAD).push(1).op(ADD, SWAP1, SSTORE);
        advance(a, 3).jump("loop");

        // Both read-add-write shapes StorageAdds recognises (Block-STM records them as deltas); this one adds the
        // negated amount, so that slots cross zero and wrap.
        a.label("c" + C_SUB).op(POP);
        arg(a, 1, 2).op(DUP1, SLOAD);
        arg(a, 3, 1).push(0).op(SUB, ADD, SWAP1, SSTORE);
        advance(a, 4).jump("loop");

        // The checked shapes StorageAdds follows across blocks. SafeMath (solc 0.4-0.7): the caller pushes its return
        // label, the slot's value and the amount, and jumps to an internal function that adds, reverts if the sum is
        // below the value, and returns the sum; the caller computes the key again for the store.
        a.label("c" + C_SAFE_ADD).op(POP);
        a.pushLabel("safeAddReturn");
        arg(a, 1, 2).op(SLOAD);
        arg(a, 3, 1).jump("safeAdd"); // [ret, v, amount]
        a.label("safeAddReturn"); // [sum]
        arg(a, 1, 2).op(SSTORE);
        advance(a, 4).jump("loop");
        a.label("safeAdd"); // [ret, v, d]
        a.op(DUP2, DUP2, ADD); // [ret, v, d, s]
        a.op(DUP3, DUP2, LT).jumpi("doRevert"); // s < v: overflowed
        a.op(SWAP3, SWAP2, POP, POP, JUMP); // [s] at ret
        // solc 0.8 (checked_add): reverts if v > not(d), then adds; the key copied for the store.
        a.label("c" + C_CHECKED_ADD).op(POP);
        arg(a, 1, 2).op(DUP1, SLOAD); // [k, v]
        arg(a, 3, 1).op(DUP1, NOT, DUP3, GT).jumpi("doRevert"); // [k, v, d]
        a.op(ADD, SWAP1, SSTORE);
        advance(a, 4).jump("loop");

        a.label("c" + C_SET).op(POP);
        arg(a, 3, 1);
        arg(a, 1, 2).op(SSTORE);
        advance(a, 4).jump("loop");

        a.label("c" + C_REVERT).jump("doRevert");
        a.label("c" + C_INVALID).op(INVALID);
        a.label("c" + C_BURN).push(0xffffff).op(MLOAD);
        a.label("c" + C_BURN_LOOP).jump("c" + C_BURN_LOOP);

        for (int kind : new int[] {C_CALL, C_DELEGATECALL, C_STATICCALL, C_CALLCODE}) callHandler(a, kind);

        observeHandler(a, C_BALANCE, 21, 22, () -> arg(a, 1, 20).op(BALANCE));
        observeHandler(a, C_SELFBALANCE, 1, 2, () -> a.op(SELFBALANCE));
        observeHandler(a, C_EXTCODEHASH, 21, 22, () -> arg(a, 1, 20).op(EXTCODEHASH));
        observeHandler(a, C_EXTCODESIZE, 21, 22, () -> arg(a, 1, 20).op(EXTCODESIZE));
        observeHandler(a, C_TLOAD, 2, 3, () -> arg(a, 1, 1).op(TLOAD));
        observeHandler(a, C_SLOAD, 3, 4, () -> arg(a, 1, 2).op(SLOAD));
        observeHandler(a, C_BLOBHASH, 2, 3, () -> arg(a, 1, 1).op(BLOBHASH));
        observeHandler(a, C_COINBASE_BALANCE, 1, 2, () -> a.op(COINBASE, BALANCE));

        a.label("c" + C_TSTORE).op(POP);
        arg(a, 2, 1);
        arg(a, 1, 1).op(TSTORE);
        advance(a, 3).jump("loop");

        // CREATE: value@1(2) flags@3(1) len@4(2) code@6
        a.label("c" + C_CREATE).op(POP);
        copyPayload(a, 4, 6);
        arg(a, 4, 2).push(0x100);
        arg(a, 1, 2).op(CREATE); // [addr]
        arg(a, 3, 1); // [addr, flags]
        arg(a, 4, 2).push(6).op(ADD).push(0).op(MLOAD, ADD).push(0).op(MSTORE);
        a.jump("postCreate");
        // CREATE2: value@1(2) flags@3(1) salt@4(1) len@5(2) code@7
        a.label("c" + C_CREATE2).op(POP);
        copyPayload(a, 5, 7);
        arg(a, 4, 1);
        arg(a, 5, 2).push(0x100);
        arg(a, 1, 2).op(CREATE2);
        arg(a, 3, 1);
        arg(a, 5, 2).push(7).op(ADD).push(0).op(MLOAD, ADD).push(0).op(MSTORE);
        a.label("postCreate"); // [addr, flags]
        a.op(DUP2, ISZERO, DUP2).push(CREATE_REVERT_ON_FAILURE).op(AND, AND).jumpi("doRevert");
        a.op(DUP1).push(CREATE_LOG_ADDRESS).op(AND, ISZERO).jumpi("pcNoLog");
        a.op(DUP2).push(32).op(MSTORE).push(0xc4ea7e).push(32).push(32).op(LOG1);
        a.label("pcNoLog");
        a.push(CREATE_THEN_CALL).op(AND, ISZERO).jumpi("pcNoCall"); // [addr]
        a.push(0).push(0).push(0).push(0).push(0).op(DUP1 + 5, GAS, CALL, POP);
        a.label("pcNoCall").op(POP).jump("loop");

        a.label("c" + C_SELFDESTRUCT).op(POP);
        arg(a, 1, 20).op(SELFDESTRUCT);

        a.label("c" + C_RETURN);
        a.push(0).op(MLOAD).push(32).op(MSTORE).push(32).push(32).op(RETURN);

        for (int n = 0; n <= 4; n++) {
            a.label("c" + (C_LOG0 + n)).op(POP);
            arg(a, 1, 2).op(SLOAD).push(32).op(MSTORE);
            // topics, pushed last first: slot, caller, address, callvalue
            if (n >= 4) a.op(CALLVALUE);
            if (n >= 3) a.op(ADDRESS);
            if (n >= 2) a.op(CALLER);
            if (n >= 1) arg(a, 1, 2);
            a.push(32).push(32).op(LOG0 + n);
            advance(a, 3).jump("loop");
        }
        return a.build();
    }

    /** Copies the {@code len@lenOff}-byte payload at {@code payloadOff} to memory 0x100. */
    private static void copyPayload(Asm a, int lenOff, int payloadOff) {
        arg(a, lenOff, 2);
        a.push(payloadOff).push(0).op(MLOAD, ADD).push(0x100).op(CALLDATACOPY);
    }

    /** addr@1(20) value@21(2) gas@23(2, in units of 64; 0 = all) flags@25(1) len@26(2) script@28. */
    private static void callHandler(Asm a, int kind) {
        String l = "c" + kind;
        a.label(l).op(POP);
        copyPayload(a, 26, 28);
        a.push(0).push(0); // retSize, retOffset
        arg(a, 26, 2).push(0x100); // argsSize, argsOffset
        if (kind == C_CALL || kind == C_CALLCODE) {
            arg(a, 25, 1).push(CALL_HALF_BALANCE).op(AND, ISZERO).jumpi(l + "valueArg");
            a.op(SELFBALANCE).push(1).op(SHR).jump(l + "valueDone");
            a.label(l + "valueArg");
            arg(a, 21, 2);
            a.label(l + "valueDone");
        }
        arg(a, 1, 20);
        arg(a, 23, 2).push(6).op(SHL, DUP1, ISZERO).jumpi(l + "allGas").jump(l + "gasDone");
        a.label(l + "allGas").op(POP, GAS);
        a.label(l + "gasDone");
        a.op(switch (kind) {
            case C_CALL -> CALL;
            case C_DELEGATECALL -> DELEGATECALL;
            case C_STATICCALL -> STATICCALL;
            default -> CALLCODE;
        }); // [success]
        a.op(DUP1, ISZERO);
        arg(a, 25, 1).push(CALL_REVERT_ON_FAILURE).op(AND, AND).jumpi("doRevert");
        arg(a, 25, 1).push(CALL_LOG_RESULT).op(AND, ISZERO).jumpi(l + "noLog");
        a.op(DUP1, RETURNDATASIZE).push(1).op(SHL, ADD).push(32).op(MSTORE).push(0xca11).push(32).push(32).op(LOG1);
        a.label(l + "noLog").op(POP);
        arg(a, 26, 2).push(28).op(ADD).push(0).op(MLOAD, ADD).push(0).op(MSTORE);
        a.jump("loop");
    }

    /** A command that computes a value and hands it to "observe"; {@code modeOff} is where its mode byte is. */
    private static void observeHandler(Asm a, int cmd, int modeOff, int size, Runnable value) {
        a.label("c" + cmd).op(POP);
        arg(a, modeOff, 1);
        value.run();
        advance(a, size).jump("observe");
    }

    // ------------------------------------------------------------------ init code

    /** Init code that deploys {@code runtime} (after optionally running {@code prelude} first). */
    static byte[] deploy(byte[] prelude, byte[] runtime) {
        // prelude, PUSH2 len, DUP1, PUSH2 off, PUSH1 0, CODECOPY, PUSH1 0, RETURN, runtime
        int headerLen = prelude.length + 3 + 1 + 3 + 2 + 1 + 2 + 1;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(prelude);
        o.write(PUSH2);
        o.write(runtime.length >>> 8);
        o.write(runtime.length);
        o.write(DUP1);
        o.write(PUSH2);
        o.write(headerLen >>> 8);
        o.write(headerLen);
        o.write(PUSH1);
        o.write(0);
        o.write(CODECOPY);
        o.write(PUSH1);
        o.write(0);
        o.write(RETURN);
        o.writeBytes(runtime);
        return o.toByteArray();
    }

    static final byte[] NO_PRELUDE = {};
    /** Init code prelude: store 1 in slot 0 and log the call value. */
    static final byte[] STORE_AND_LOG_PRELUDE = new Asm().push(1).push(0).op(SSTORE).op(CALLVALUE).push(0).op(MSTORE)
            .push(32).push(0).op(LOG0).build();
    /** Init code that self-destructs into its creator. */
    static final byte[] INIT_SELFDESTRUCT = {(byte) CALLER, (byte) SELFDESTRUCT};
    static final byte[] INIT_REVERT = new Asm().push(0).push(0).op(REVERT).build();
    static final byte[] INIT_OUT_OF_GAS = new Asm().push(0xffffff).op(MLOAD).build();
    /** Returns one byte 0xEF: rejected by EIP-3541 from London. */
    static final byte[] INIT_EF = new Asm().push(0xef).push(0).op(MSTORE8).push(1).push(0).op(RETURN).build();

    // ------------------------------------------------------------------ scripts

    /** Builds a hub script. */
    static final class Script {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        boolean isEmpty() {
            return out.size() == 0;
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Script u(long v, int n) {
            for (int i = n - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
            return this;
        }

        private Script addr(Address a) {
            out.writeBytes(a.unsafeBytes());
            return this;
        }

        private Script payload(byte[] p) {
            if (p.length > 0xffff) throw new IllegalArgumentException("payload too long");
            u(p.length, 2);
            out.writeBytes(p);
            return this;
        }

        Script inc(int slot) { return u(C_INC, 1).u(slot, 2); }
        Script sub(int slot, int amount) { return u(C_SUB, 1).u(slot, 2).u(amount, 1); }
        Script safeAdd(int slot, int amount) { return u(C_SAFE_ADD, 1).u(slot, 2).u(amount, 1); }
        Script checkedAdd(int slot, int amount) { return u(C_CHECKED_ADD, 1).u(slot, 2).u(amount, 1); }
        Script set(int slot, int value) { return u(C_SET, 1).u(slot, 2).u(value, 1); }
        Script revert() { return u(C_REVERT, 1); }
        Script invalid() { return u(C_INVALID, 1); }
        Script burn() { return u(C_BURN, 1); }
        Script burnLoop() { return u(C_BURN_LOOP, 1); }
        Script ret() { return u(C_RETURN, 1); }

        /** {@code gasUnits} of 64 gas (0: all available). */
        Script call(int kind, Address to, int value, int gasUnits, int flags, byte[] script) {
            return u(kind, 1).addr(to).u(value, 2).u(gasUnits, 2).u(flags, 1).payload(script);
        }

        Script balance(Address a, int mode) { return u(C_BALANCE, 1).addr(a).u(mode, 1); }
        Script selfBalance(int mode) { return u(C_SELFBALANCE, 1).u(mode, 1); }
        Script extCodeHash(Address a, int mode) { return u(C_EXTCODEHASH, 1).addr(a).u(mode, 1); }
        Script extCodeSize(Address a, int mode) { return u(C_EXTCODESIZE, 1).addr(a).u(mode, 1); }
        Script tstore(int slot, int value) { return u(C_TSTORE, 1).u(slot, 1).u(value, 1); }
        Script tload(int slot, int mode) { return u(C_TLOAD, 1).u(slot, 1).u(mode, 1); }
        Script sload(int slot, int mode) { return u(C_SLOAD, 1).u(slot, 2).u(mode, 1); }
        Script blobHash(int index, int mode) { return u(C_BLOBHASH, 1).u(index, 1).u(mode, 1); }
        Script coinbaseBalance(int mode) { return u(C_COINBASE_BALANCE, 1).u(mode, 1); }
        Script create(int value, int flags, byte[] initCode) { return u(C_CREATE, 1).u(value, 2).u(flags, 1).payload(initCode); }

        Script create2(int value, int flags, int salt, byte[] initCode) {
            return u(C_CREATE2, 1).u(value, 2).u(flags, 1).u(salt, 1).payload(initCode);
        }

        Script selfDestruct(Address beneficiary) { return u(C_SELFDESTRUCT, 1).addr(beneficiary); }
        Script log(int topics, int slot) { return u(C_LOG0 + topics, 1).u(slot, 2); }
    }
}
