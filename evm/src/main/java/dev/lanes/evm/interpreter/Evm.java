package dev.lanes.evm.interpreter;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Host;
import dev.lanes.evm.Message;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.TxEnv;
import dev.lanes.evm.precompile.Precompile;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;

import static dev.lanes.evm.Opcodes.*;

/**
 * Message-call and contract-creation processing around the {@link Interpreter} loop: depth and balance
 * checks, value transfer, precompiles, checkpoints and reverts, code deposit. Nested calls recurse
 * through here; callers run it on a thread with a large stack (see {@link dev.lanes.evm.EvmThreads}). One instance per
 * thread, reused across transactions: it owns the per-depth frame pool and the division scratch.
 */
public final class Evm {
    public static final int MAX_DEPTH = 1024;

    ForkRules rules;
    Host host;
    /** Frame activations so far ({@link Frame#activation}). */
    private long activations;
    BlockEnv block;
    TxEnv tx;
    Tracer tracer;
    /**
     * Analyse code on every call instead of using the per-code-hash cache (benchmarks only: every call then runs as a
     * code's first execution, with no table and no compiled code; {@code -Dlanes.evm.analyseEveryCall=true} sets it for
     * every Evm, e.g. to time first executions on real blocks with HotSpot warm, {@code ./lanes replay --repeat N}).
     */
    boolean noCodeCache = ANALYSE_EVERY_CALL;
    private static final boolean ANALYSE_EVERY_CALL = Boolean.getBoolean("lanes.evm.analyseEveryCall");
    final Div div = new Div();
    /** KECCAK256's digest, before it goes onto the stack (no array per instruction). */
    final byte[] hashOut = new byte[32];
    /** This thread's instruction offsets for {@link BasicBlocks#fill} (grown as needed). */
    int[] fillScratch = new int[64];
    private final Frame[] frames = new Frame[MAX_DEPTH + 1];
    private final Interpreter interpreter = new Interpreter(this);
    /**
     * Set by {@link #abort} (from any thread) to stop this instance's execution early. Read where a loop
     * must pass, not per instruction: by the interpreter and compiled code on backward jumps, and at the entry of
     * every message, so a set flag halts every frame with {@link Status#ABORTED} at its next back-edge or
     * sub-call. Volatile so that compiled loops reload it.
     */
    volatile boolean aborted;

    public Evm() {}

    /**
     * Stops what this instance executes (now or next) as soon as it reaches a backward jump or a message
     * entry: every frame then halts with {@link Status#ABORTED}. Safe from any thread; sticky until
     * {@link #clearAbort}. The caller owns the outcome, which means nothing (the node's RPC time cap).
     */
    public void abort() {
        aborted = true;
    }

    /** Lets this instance run again after {@link #abort}. */
    public void clearAbort() {
        aborted = false;
    }

    /** Whether {@link #abort} was called since the last {@link #clearAbort}. */
    public boolean aborted() {
        return aborted;
    }

    /** How many contract codes have been compiled to JVM bytecode in this JVM (see {@code Compiler}). */
    public static long compiledCodes() {
        return Compiler.compiledCount();
    }

    /** Prepares this instance for a transaction. */
    public Evm reset(ForkRules rules, Host host, BlockEnv block, TxEnv tx, Tracer tracer) {
        this.rules = rules;
        this.host = host;
        this.block = block;
        this.tx = tx;
        this.tracer = tracer;
        return this;
    }

    public Evm analyseCodeEveryCall(boolean on) {
        this.noCodeCache = on;
        return this;
    }

    public ForkRules rules() { return rules; }

    public Host host() { return host; }

    /** Runs a message: CALL-family or CREATE-family according to {@link Message#kind()}. */
    public CallResult execute(Message m) {
        return switch (m.kind()) {
            case CREATE, CREATE2 -> create(m.caller(), m.value(), m.input(), m.gas(), m.depth(), m.kind(), m.salt());
            default -> call(m.kind(), m.caller(), m.recipient(), m.codeAddress(), m.value(), m.input(), m.gas(),
                    m.depth(), m.isStatic());
        };
    }

    /** Runs {@code code} directly as a message call with no state effects beyond the host's (benchmarks). */
    public CallResult runCode(Code code, Address self, Address caller, UInt256 value, byte[] input, long gas) {
        Frame f = frame(0);
        f.reset(code, self, caller, self, value, input, gas, false, 0);
        f.activation = ++activations;
        int status = interpreter.run(f);
        return finish(f, status);
    }

    private Frame frame(int depth) {
        Frame f = frames[depth];
        if (f == null) frames[depth] = f = new Frame();
        return f;
    }

    private CallResult finish(Frame f, int status) {
        byte[] out = status == Status.SUCCESS || status == Status.REVERT ? f.output() : Bytes.EMPTY;
        long gasLeft = Status.isExceptional(status) ? 0 : f.gas;
        if (tracer != null) tracer.frameEnd(f, status, gasLeft, out);
        return new CallResult(status, gasLeft, out, null);
    }

    CallResult call(int kind, Address caller, Address to, Address codeAddress, UInt256 value, byte[] input,
                    long gas, int depth, boolean isStatic) {
        // The untraced path pays one null check per message, as for frameEnd.
        if (tracer == null) return doCall(kind, caller, to, codeAddress, value, input, gas, depth, isStatic);
        tracer.enter(kind, caller, to, value, input, gas, depth);
        CallResult r = doCall(kind, caller, to, codeAddress, value, input, gas, depth, isStatic);
        tracer.exit(r.status(), r.gasLeft(), r.output());
        return r;
    }

    private CallResult doCall(int kind, Address caller, Address to, Address codeAddress, UInt256 value, byte[] input,
                              long gas, int depth, boolean isStatic) {
        if (aborted) return new CallResult(Status.ABORTED, 0, Bytes.EMPTY, null);
        if (depth > MAX_DEPTH) return new CallResult(Status.CALL_DEPTH, gas, Bytes.EMPTY, null);
        boolean transfers = kind == CALL || kind == CALLCODE;
        if (transfers && !value.isZero() && host.balance(caller).lessThan(value)) {
            return new CallResult(Status.INSUFFICIENT_BALANCE, gas, Bytes.EMPTY, null);
        }
        int checkpoint = host.checkpoint();
        Precompile pre = rules.precompile(codeAddress);
        if (kind == CALL) {
            if (!host.exists(to)) {
                // EIP-161: a zero-value call to a non-existent non-precompile account creates nothing.
                if (pre == null && rules.eip161 && value.isZero()) {
                    return new CallResult(Status.SUCCESS, gas, Bytes.EMPTY, null);
                }
            }
            host.transfer(caller, to, value); // touches the recipient even for zero value (EIP-161)
        } else if (kind == CALLCODE) {
            host.transfer(caller, caller, value);
        }
        CallResult r;
        if (pre != null) {
            r = runPrecompile(pre, input, gas);
        } else {
            Code code = host.code(codeAddress);
            if (rules.eip7702) {
                // EIP-7702: a delegated account runs its target's code (one hop; the caller paid the access).
                Address target = code.delegationTarget();
                if (target != null) code = host.code(target);
            }
            if (noCodeCache && !code.isEmpty()) code = Code.analyze(code.hash(), code.bytes());
            if (code.isEmpty()) {
                r = new CallResult(Status.SUCCESS, gas, Bytes.EMPTY, null);
            } else {
                Frame f = frame(depth);
                // For DELEGATECALL the caller passed its own apparent value; nothing was transferred.
                f.reset(code, to, caller, codeAddress, value, input, gas, isStatic, depth);
                f.activation = ++activations;
                r = finish(f, interpreter.run(f));
            }
        }
        if (r.status() != Status.SUCCESS) host.revertTo(checkpoint);
        return r;
    }

    private CallResult runPrecompile(Precompile pre, byte[] input, long gas) {
        long cost = pre.gasCost(input);
        if (cost > gas) return new CallResult(Status.OUT_OF_GAS, 0, Bytes.EMPTY, null);
        byte[] out = pre.execute(input);
        if (out == null) return new CallResult(Status.PRECOMPILE_FAILURE, 0, Bytes.EMPTY, null);
        return new CallResult(Status.SUCCESS, gas - cost, out, null);
    }

    CallResult create(Address caller, UInt256 value, byte[] initCode, long gas, int depth, int kind, UInt256 salt) {
        if (tracer == null) return doCreate(caller, value, initCode, gas, depth, kind, salt);
        // The address the creation will have (reading the nonce changes nothing), so the tracer can name it.
        Address addr = kind == CREATE2 ? create2Address(caller, salt, initCode) : createAddress(caller, host.nonce(caller));
        tracer.enter(kind, caller, addr, value, initCode, gas, depth);
        CallResult r = doCreate(caller, value, initCode, gas, depth, kind, salt);
        tracer.exit(r.status(), r.gasLeft(), r.output());
        return r;
    }

    private CallResult doCreate(Address caller, UInt256 value, byte[] initCode, long gas, int depth, int kind, UInt256 salt) {
        if (aborted) return new CallResult(Status.ABORTED, 0, Bytes.EMPTY, null);
        if (depth > MAX_DEPTH) return new CallResult(Status.CALL_DEPTH, gas, Bytes.EMPTY, null);
        if (host.balance(caller).lessThan(value)) return new CallResult(Status.INSUFFICIENT_BALANCE, gas, Bytes.EMPTY, null);
        long nonce = host.nonce(caller);
        if (nonce == -1L) return new CallResult(Status.NONCE_OVERFLOW, gas, Bytes.EMPTY, null); // 2^64-1: EIP-2681
        host.incrementNonce(caller);
        Address addr = kind == CREATE2 ? create2Address(caller, salt, initCode) : createAddress(caller, nonce);
        if (rules.eip2929) host.warmAccount(addr);
        // Collision: code, a nonce, or (EIP-7610) storage at the target address.
        if (host.nonce(addr) != 0 || !host.code(addr).isEmpty()
                || (host instanceof dev.lanes.evm.Journal j && j.hasInitialStorage(addr))) {
            return new CallResult(Status.CREATE_COLLISION, 0, Bytes.EMPTY, null);
        }
        int checkpoint = host.checkpoint();
        host.createAccount(addr, rules.eip161 ? 1 : 0);
        host.transfer(caller, addr, value);
        Frame f = frame(depth);
        f.reset(Code.analyze(null, initCode), addr, caller, addr, value, Bytes.EMPTY, gas, false, depth);
        f.activation = ++activations;
        int status = interpreter.run(f);
        byte[] out = status == Status.SUCCESS || status == Status.REVERT ? f.output() : Bytes.EMPTY;
        long gasLeft = Status.isExceptional(status) ? 0 : f.gas;
        if (status == Status.SUCCESS) {
            if (out.length > rules.maxCodeSize) {
                status = Status.CODE_TOO_LARGE;
            } else if (rules.eip3541 && out.length > 0 && (out[0] & 0xff) == 0xef) {
                status = Status.INVALID_CODE_PREFIX;
            } else {
                long deposit = 200L * out.length;
                if (deposit > gasLeft) {
                    if (rules.eip2CreateOogFails) status = Status.OUT_OF_GAS;
                    else out = Bytes.EMPTY; // Frontier: the account keeps empty code, the creation succeeds
                } else {
                    gasLeft -= deposit;
                }
            }
            if (status == Status.SUCCESS) {
                if (out.length > 0) host.setCode(addr, out);
            } else {
                gasLeft = 0;
            }
        }
        if (tracer != null) tracer.frameEnd(f, status, gasLeft, out);
        if (status != Status.SUCCESS) {
            host.revertTo(checkpoint);
            return new CallResult(status, gasLeft, status == Status.REVERT ? out : Bytes.EMPTY, null);
        }
        return new CallResult(Status.SUCCESS, gasLeft, Bytes.EMPTY, addr);
    }

    /** keccak256(rlp([sender, nonce]))[12:]. */
    public static Address createAddress(Address sender, long nonce) {
        byte[] rlp = new RlpWriter(32).startList().writeBytes(sender.unsafeBytes()).writeLong(nonce).endList().toByteArray();
        return Address.fromWord(Keccak.hash(rlp), 0);
    }

    /** keccak256(0xff ++ sender ++ salt ++ keccak256(initCode))[12:] (EIP-1014). */
    public static Address create2Address(Address sender, UInt256 salt, byte[] initCode) {
        byte[] buf = new byte[85];
        buf[0] = (byte) 0xff;
        System.arraycopy(sender.unsafeBytes(), 0, buf, 1, 20);
        System.arraycopy(salt.toBytes(), 0, buf, 21, 32);
        System.arraycopy(Keccak.hash(initCode), 0, buf, 53, 32);
        return Address.fromWord(Keccak.hash(buf), 0);
    }
}
