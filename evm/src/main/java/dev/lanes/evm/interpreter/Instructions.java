package dev.lanes.evm.interpreter;

import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Host;
import dev.lanes.evm.Log;
import dev.lanes.evm.Status;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.lanes.evm.Opcodes.*;

/**
 * Instructions with dynamic gas, memory growth or state access. Each reads and writes the frame's pc,
 * sp and gas, and returns {@link #CONTINUE} or the frame's final {@link Status}.
 */
final class Instructions {
    static final int CONTINUE = -1;
    /** Largest memory offset or end we accept; anything larger costs more gas than can exist. */
    static final long MAX_MEM = 0x7fff_0000L;
    private static final int COLD_ACCOUNT_SURCHARGE = 2500; // EIP-2929: 2600 cold - 100 warm
    private static final int COLD_SLOAD_SURCHARGE = 2000;   // EIP-2929: 2100 cold - 100 warm
    private static final int COLD_SLOAD = 2100;
    private static final int WARM_ACCESS = 100;             // EIP-2929

    private Instructions() {}

    static int execute(Evm evm, Frame f, int op) {
        long[] s = f.stack;
        int t = f.sp - 4;
        Host host = evm.host;
        ForkRules r = evm.rules;
        switch (op) {
            case KECCAK256 -> {
                long off = s[t], len = s[t - 4];
                if (!fits(s, t - 4) || (len != 0 && !fits(s, t))) return oog(f);
                long gas = len == 0 ? f.gas : expand(f, f.gas, off + len);
                gas -= 6 * words(len);
                if (gas < 0) return oog(f);
                Keccak.hash(f.mem, (int) (len == 0 ? 0 : off), (int) len, evm.hashOut, 0);
                putBytes32(s, t - 4, evm.hashOut, 0);
                f.gas = gas;
                f.sp = t;
            }
            case ADDRESS -> pushAddress(f, f.address);
            case BALANCE -> {
                Address a = addr(s, t);
                if (accessAccount(evm, f, a)) return oog(f);
                putWord(s, t, host.balance(a));
            }
            case ORIGIN -> pushAddress(f, evm.tx.origin());
            case CALLER -> pushAddress(f, f.caller);
            case CALLVALUE -> pushWord(f, f.value);
            case CALLDATALOAD -> {
                byte[] in = f.input;
                if (!fits(s, t) || s[t] >= in.length) {
                    s[t] = s[t + 1] = s[t + 2] = s[t + 3] = 0;
                } else {
                    int off = (int) s[t];
                    byte[] w = new byte[32];
                    System.arraycopy(in, off, w, 0, Math.min(32, in.length - off));
                    putBytes32(s, t, w, 0);
                }
            }
            case CALLDATASIZE -> pushLong(f, f.input.length);
            case CALLDATACOPY -> { if (copy(f, f.input, f.input.length)) return oog(f); }
            case CODESIZE -> pushLong(f, f.code.length);
            case CODECOPY -> { if (copy(f, f.code.padded, f.code.length)) return oog(f); }
            case GASPRICE -> pushWord(f, evm.tx.gasPrice());
            case EXTCODESIZE -> {
                Address a = addr(s, t);
                if (accessAccount(evm, f, a)) return oog(f);
                putLong(s, t, host.code(a).length);
            }
            case EXTCODECOPY -> {
                Address a = addr(s, t);
                if (accessAccount(evm, f, a)) return oog(f);
                f.sp = t; // pop the address; the remaining three operands are those of CODECOPY
                Code c = host.code(a);
                if (copy(f, c.padded, c.length)) return oog(f);
            }
            case RETURNDATASIZE -> pushLong(f, f.returnData.length);
            case RETURNDATACOPY -> {
                long dst = s[t], src = s[t - 4], len = s[t - 8];
                byte[] rd = f.returnData;
                if (!fits(s, t - 4) || !fits(s, t - 8) || src + len > rd.length) {
                    f.gas = 0;
                    return Status.RETURNDATA_OUT_OF_BOUNDS;
                }
                if (len != 0 && !fits(s, t)) return oog(f);
                long gas = len == 0 ? f.gas : expand(f, f.gas, dst + len);
                gas -= 3 * words(len);
                if (gas < 0) return oog(f);
                if (len != 0) System.arraycopy(rd, (int) src, f.mem, (int) dst, (int) len);
                f.gas = gas;
                f.sp = t - 8;
            }
            case EXTCODEHASH -> {
                Address a = addr(s, t);
                if (accessAccount(evm, f, a)) return oog(f);
                putBytes32(s, t, host.codeHash(a).unsafeBytes(), 0);
            }
            case BLOCKHASH -> {
                long cur = evm.block.number();
                if (fits(s, t) && s[t] < cur && s[t] >= cur - 256) putBytes32(s, t, host.blockHash(s[t]).unsafeBytes(), 0);
                else s[t] = s[t + 1] = s[t + 2] = s[t + 3] = 0;
            }
            case COINBASE -> pushAddress(f, evm.block.coinbase());
            case TIMESTAMP -> pushLong(f, evm.block.timestamp());
            case NUMBER -> pushLong(f, evm.block.number());
            case PREVRANDAO -> pushWord(f, evm.block.prevRandao());
            case GASLIMIT -> pushLong(f, evm.block.gasLimit());
            case CHAINID -> pushWord(f, evm.block.chainId());
            case SELFBALANCE -> pushWord(f, host.balance(f.address));
            case BASEFEE -> pushWord(f, evm.block.baseFee());
            case BLOBHASH -> {
                List<Hash> hashes = evm.tx.blobHashes();
                if (fits(s, t) && s[t] < hashes.size()) putBytes32(s, t, hashes.get((int) s[t]).unsafeBytes(), 0);
                else s[t] = s[t + 1] = s[t + 2] = s[t + 3] = 0;
            }
            case BLOBBASEFEE -> pushWord(f, evm.block.blobBaseFee());
            case SLOAD -> {
                // In place on the stack: the journal finds a slot already used without a key object.
                if (r.eip2929 && !host.warmSlot(f.address, s, t)) {
                    f.gas -= COLD_SLOAD_SURCHARGE;
                    if (f.gas < 0) return oog(f);
                }
                if (host.storageDeltas() && f.code.sloadAdds(f.pc)) host.sloadForAdd(f.address, s, t, f.activation, f.pc);
                else host.sload(f.address, s, t);
            }
            case SSTORE -> {
                if (f.isStatic) return halt(f, Status.STATIC_VIOLATION);
                int st = sstore(evm, f, s, t);
                if (st != CONTINUE) return st;
                f.sp = t - 4;
            }
            case TLOAD -> host.tload(f.address, s, t);
            case TSTORE -> {
                if (f.isStatic) return halt(f, Status.STATIC_VIOLATION);
                host.tstore(f.address, word(s, t), word(s, t - 4));
                f.sp = t - 4;
            }
            case MCOPY -> {
                long dst = s[t], src = s[t - 4], len = s[t - 8];
                long gas = f.gas;
                if (!fits(s, t - 8)) return oog(f);
                if (len != 0) {
                    if (!fits(s, t) || !fits(s, t - 4)) return oog(f);
                    gas = expand(f, gas, Math.max(dst, src) + len);
                }
                gas -= 3 * words(len);
                if (gas < 0) return oog(f);
                if (len != 0) System.arraycopy(f.mem, (int) src, f.mem, (int) dst, (int) len);
                f.gas = gas;
                f.sp = t - 8;
            }
            case LOG0, 0xa1, 0xa2, 0xa3, LOG4 -> {
                if (f.isStatic) return halt(f, Status.STATIC_VIOLATION);
                int n = op - LOG0;
                long off = s[t], len = s[t - 4];
                long gas = f.gas;
                if (!fits(s, t - 4)) return oog(f);
                if (len != 0) {
                    if (!fits(s, t)) return oog(f);
                    gas = expand(f, gas, off + len);
                }
                gas -= 8 * len;
                if (gas < 0) return oog(f);
                List<Hash> topics = new ArrayList<>(n);
                for (int i = 0; i < n; i++) topics.add(Hash.adopt(wordBytes(s, t - 8 - 4 * i)));
                byte[] data = len == 0 ? Bytes.EMPTY : Arrays.copyOfRange(f.mem, (int) off, (int) (off + len));
                host.log(new Log(f.address, topics, data));
                f.gas = gas;
                f.sp = t - 4 - 4 * n;
            }
            case CREATE, CREATE2 -> { return create(evm, f, op); }
            case CALL, CALLCODE, DELEGATECALL, STATICCALL -> { return call(evm, f, op); }
            case SELFDESTRUCT -> { return selfDestruct(evm, f); }
            default -> { return halt(f, Status.INVALID_OPCODE); }
        }
        f.pc++;
        return CONTINUE;
    }

    // ---- gas helpers ----

    static long words(long len) {
        return (len + 31) >>> 5;
    }

    /**
     * The gas a memory of {@code words} words has cost in all (the yellow paper's C_mem: 3 per word plus words squared
     * over 512); an expansion charges the difference. Small enough that HotSpot inlines it at every use (the
     * interpreter's in-place growth in {@code Interpreter.stay} among them) without a call.
     */
    static long memoryCost(long words) {
        return 3 * words + ((words * words) >>> 9); // words * words / 512: words is never negative
    }

    /** Charges memory expansion to cover {@code end} bytes; returns the gas left (negative: out of gas). */
    static long expand(Frame f, long gas, long end) {
        if (end <= f.memSize) return gas;
        if (end > MAX_MEM) return -1;
        long newWords = words(end);
        long oldWords = f.memSize >>> 5;
        long cost = memoryCost(newWords) - memoryCost(oldWords);
        gas -= cost;
        if (gas < 0) return gas;
        long newSize = newWords << 5;
        f.ensureCapacity(newSize);
        f.memSize = newSize;
        return gas;
    }

    static long expCost(long[] s, int e, int perByte) {
        return (long) perByte * byteLength(s[e], s[e + 1], s[e + 2], s[e + 3]);
    }

    /** The bytes a 256-bit value needs (0 for zero): what EXP charges for its exponent. */
    static int byteLength(long x0, long x1, long x2, long x3) {
        int bits;
        if (x3 != 0) bits = 256 - Long.numberOfLeadingZeros(x3);
        else if (x2 != 0) bits = 192 - Long.numberOfLeadingZeros(x2);
        else if (x1 != 0) bits = 128 - Long.numberOfLeadingZeros(x1);
        else bits = 64 - Long.numberOfLeadingZeros(x0);
        return (bits + 7) >>> 3;
    }

    /** EIP-2929 account access: charges the cold surcharge; true when that ran out of gas. */
    private static boolean accessAccount(Evm evm, Frame f, Address a) {
        if (evm.rules.eip2929 && !evm.host.warmAccount(a)) {
            f.gas -= COLD_ACCOUNT_SURCHARGE;
            return f.gas < 0;
        }
        return false;
    }

    // ---- stack helpers ----

    /** The word at {@code i} is below {@link #MAX_MEM}. */
    static boolean fits(long[] s, int i) {
        return (s[i + 1] | s[i + 2] | s[i + 3]) == 0 && s[i] >= 0 && s[i] <= MAX_MEM;
    }

    static Address addr(long[] s, int i) {
        return Address.fromLimbs(s[i], s[i + 1], s[i + 2]);
    }

    static UInt256 word(long[] s, int i) {
        return new UInt256(s[i], s[i + 1], s[i + 2], s[i + 3]);
    }

    static byte[] wordBytes(long[] s, int i) {
        byte[] b = new byte[32];
        Bytes.putLong(b, 0, s[i + 3]);
        Bytes.putLong(b, 8, s[i + 2]);
        Bytes.putLong(b, 16, s[i + 1]);
        Bytes.putLong(b, 24, s[i]);
        return b;
    }

    static void putWord(long[] s, int i, UInt256 v) {
        s[i] = v.u0(); s[i + 1] = v.u1(); s[i + 2] = v.u2(); s[i + 3] = v.u3();
    }

    static void putLong(long[] s, int i, long v) {
        s[i] = v; s[i + 1] = 0; s[i + 2] = 0; s[i + 3] = 0;
    }

    static void putBytes32(long[] s, int i, byte[] b, int off) {
        s[i + 3] = Bytes.getLong(b, off);
        s[i + 2] = Bytes.getLong(b, off + 8);
        s[i + 1] = Bytes.getLong(b, off + 16);
        s[i] = Bytes.getLong(b, off + 24);
    }

    private static void pushAddress(Frame f, Address a) {
        int sp = f.sp;
        f.stack[sp] = a.limb0(); f.stack[sp + 1] = a.limb1(); f.stack[sp + 2] = a.limb2(); f.stack[sp + 3] = 0;
        f.sp = sp + 4;
    }

    private static void pushWord(Frame f, UInt256 v) {
        putWord(f.stack, f.sp, v);
        f.sp += 4;
    }

    private static void pushLong(Frame f, long v) {
        putLong(f.stack, f.sp, v);
        f.sp += 4;
    }

    static void clz(long[] s, int t) {
        int n;
        if (s[t + 3] != 0) n = Long.numberOfLeadingZeros(s[t + 3]);
        else if (s[t + 2] != 0) n = 64 + Long.numberOfLeadingZeros(s[t + 2]);
        else if (s[t + 1] != 0) n = 128 + Long.numberOfLeadingZeros(s[t + 1]);
        else n = 192 + Long.numberOfLeadingZeros(s[t]);
        putLong(s, t, n);
    }

    private static int oog(Frame f) {
        f.gas = 0;
        return Status.OUT_OF_GAS;
    }

    private static int halt(Frame f, int status) {
        f.gas = 0;
        return status;
    }

    /** CALLDATACOPY / CODECOPY / EXTCODECOPY body: (memOffset, srcOffset, length), zero-filling past the source. */
    private static boolean copy(Frame f, byte[] src, int srcLen) {
        long[] s = f.stack;
        int t = f.sp - 4;
        long dst = s[t], len = s[t - 8];
        long gas = f.gas;
        if (len != 0) {
            if (!fits(s, t) || !fits(s, t - 8)) { f.gas = -1; return true; }
            gas = expand(f, gas, dst + len);
        } else if ((s[t - 7] | s[t - 6] | s[t - 5]) != 0 || s[t - 8] != 0) {
            f.gas = -1;
            return true;
        }
        gas -= 3 * words(len);
        if (gas < 0) { f.gas = gas; return true; }
        if (len != 0) {
            long so = fits(s, t - 4) ? s[t - 4] : Long.MAX_VALUE;
            int n = so >= srcLen ? 0 : (int) Math.min(len, srcLen - so);
            if (n > 0) System.arraycopy(src, (int) so, f.mem, (int) dst, n);
            if (n < len) Arrays.fill(f.mem, (int) dst + n, (int) (dst + len), (byte) 0);
        }
        f.gas = gas;
        f.sp = t - 8;
        return false;
    }

    static long setOutput(Frame f, long gas) {
        long[] s = f.stack;
        int t = f.sp - 4;
        long len = s[t - 4];
        if (!fits(s, t - 4)) return -1;
        if (len == 0) {
            f.outOffset = 0;
            f.outLength = 0;
            return gas;
        }
        if (!fits(s, t)) return -1;
        long off = s[t];
        gas = expand(f, gas, off + len);
        f.outOffset = off;
        f.outLength = len;
        return gas;
    }

    // ---- storage ----

    /** The word at {@code s[i..i+3]} equals {@code v}. */
    private static boolean sameWord(UInt256 v, long[] s, int i) {
        return v.u0() == s[i] && v.u1() == s[i + 1] && v.u2() == s[i + 2] && v.u3() == s[i + 3];
    }

    /** SSTORE of the value at {@code s[t-4..]} to the key at {@code s[t..]}, both read in place (no key object). */
    private static int sstore(Evm evm, Frame f, long[] s, int t) {
        ForkRules r = evm.rules;
        Host host = evm.host;
        long gas = f.gas;
        if (r.eip2200NetMetering && gas <= 2300) return oog(f); // EIP-2200 sentry
        int v = t - 4;
        boolean valueZero = (s[v] | s[v + 1] | s[v + 2] | s[v + 3]) == 0;
        long cost = 0;
        if (r.eip2929 && !host.warmSlot(f.address, s, t)) cost += COLD_SLOAD;
        UInt256 current = host.storageValue(f.address, s, t);
        if (r.eip2200NetMetering || r.eip1283NetMetering) {
            UInt256 original = host.originalStorage(f.address, s, t);
            if (sameWord(current, s, v)) {
                cost += r.sloadGas;
            } else if (original.equals(current)) {
                if (original.isZero()) {
                    cost += r.sstoreSetGas;
                } else {
                    cost += r.sstoreResetGas;
                    if (valueZero) host.addRefund(r.sstoreClearRefund);
                }
            } else {
                cost += r.sloadGas;
                if (!original.isZero()) {
                    if (current.isZero()) host.subRefund(r.sstoreClearRefund);
                    else if (valueZero) host.addRefund(r.sstoreClearRefund);
                }
                if (sameWord(original, s, v)) {
                    if (original.isZero()) host.addRefund(r.sstoreSetGas - r.sloadGas);
                    else host.addRefund(r.sstoreResetGas - r.sloadGas);
                }
            }
        } else {
            if (current.isZero() && !valueZero) {
                cost += r.sstoreSetGas;
            } else {
                cost += r.sstoreResetGas;
                if (!current.isZero() && valueZero) host.addRefund(r.sstoreClearRefund);
            }
        }
        gas -= cost;
        if (gas < 0) return oog(f);
        if (host.storageDeltas() && f.code.sstoreAdds(f.pc)) host.sstoreAdded(f.address, s, t, v, f.activation, f.code, f.pc);
        else host.sstore(f.address, s, t, v);
        f.gas = gas;
        return CONTINUE;
    }

    // ---- calls and creation ----

    private static int call(Evm evm, Frame f, int op) {
        ForkRules r = evm.rules;
        Host host = evm.host;
        long[] s = f.stack;
        int t = f.sp - 4;
        boolean withValue = op == CALL || op == CALLCODE;
        int io = withValue ? t - 12 : t - 8; // inOffset at io, inLength io-4, outOffset io-8, outLength io-12
        Address to = addr(s, t - 4);
        boolean hasValue = withValue && (s[t - 8] | s[t - 7] | s[t - 6] | s[t - 5]) != 0;
        UInt256 value = withValue ? word(s, t - 8) : op == DELEGATECALL ? f.value : UInt256.ZERO;
        if (op == CALL && f.isStatic && hasValue) return halt(f, Status.STATIC_VIOLATION);
        long inLen = s[io - 4], outLen = s[io - 12];
        long gas = f.gas;
        if (inLen != 0) {
            if (!fits(s, io) || !fits(s, io - 4)) return oog(f);
            gas = expand(f, gas, s[io] + inLen);
            if (gas < 0) return oog(f);
        } else if (!fits(s, io - 4)) return oog(f);
        if (outLen != 0) {
            if (!fits(s, io - 8) || !fits(s, io - 12)) return oog(f);
            gas = expand(f, gas, s[io - 8] + outLen);
            if (gas < 0) return oog(f);
        } else if (!fits(s, io - 12)) return oog(f);
        if (r.eip2929 && !host.warmAccount(to)) gas -= COLD_ACCOUNT_SURCHARGE;
        if (r.eip7702) {
            // EIP-7702: calling a delegated account also pays to access its target.
            Address target = host.code(to).delegationTarget();
            if (target != null) gas -= host.warmAccount(target) ? WARM_ACCESS : WARM_ACCESS + COLD_ACCOUNT_SURCHARGE;
        }
        if (hasValue) gas -= 9000;
        if (op == CALL) {
            boolean charge = r.eip161 ? hasValue && host.isEmpty(to) : !host.exists(to);
            if (charge) gas -= 25000;
        }
        if (gas < 0) return oog(f);
        long requested = (s[t + 1] | s[t + 2] | s[t + 3]) != 0 || s[t] < 0 ? Long.MAX_VALUE : s[t];
        long callGas;
        if (r.eip150) {
            callGas = Math.min(requested, gas - gas / 64);
        } else {
            if (requested > gas) return oog(f);
            callGas = requested;
        }
        gas -= callGas;
        if (hasValue) callGas += 2300;
        byte[] input = inLen == 0 ? Bytes.EMPTY : Arrays.copyOfRange(f.mem, (int) s[io], (int) (s[io] + inLen));
        long outOff = s[io - 8];
        int resultSlot = io - 12;
        Address caller = op == DELEGATECALL ? f.caller : f.address;
        Address recipient = op == CALL || op == STATICCALL ? to : f.address;
        boolean isStatic = f.isStatic || op == STATICCALL;
        f.gas = gas;
        CallResult res = evm.call(op, caller, recipient, to, value, input, callGas, f.depth + 1, isStatic);
        byte[] out = res.output();
        f.returnData = out;
        if (outLen != 0 && out.length != 0) System.arraycopy(out, 0, f.mem, (int) outOff, (int) Math.min(outLen, out.length));
        putLong(s, resultSlot, res.status() == Status.SUCCESS ? 1 : 0);
        f.gas += res.gasLeft();
        f.sp = resultSlot + 4;
        f.pc++;
        return CONTINUE;
    }

    private static int create(Evm evm, Frame f, int op) {
        if (f.isStatic) return halt(f, Status.STATIC_VIOLATION);
        ForkRules r = evm.rules;
        long[] s = f.stack;
        int t = f.sp - 4;
        UInt256 value = word(s, t);
        long off = s[t - 4], len = s[t - 8];
        long gas = f.gas;
        if (len != 0) {
            if (!fits(s, t - 4) || !fits(s, t - 8)) return oog(f);
            gas = expand(f, gas, off + len);
            if (gas < 0) return oog(f);
        } else if (!fits(s, t - 8)) return oog(f);
        if (r.eip3860InitcodeLimit) {
            if (len > r.maxInitcodeSize) return oog(f);
            gas -= 2 * words(len);
        }
        UInt256 salt = null;
        if (op == CREATE2) {
            salt = word(s, t - 12);
            gas -= 6 * words(len);
        }
        if (gas < 0) return oog(f);
        long callGas = r.eip150 ? gas - gas / 64 : gas;
        gas -= callGas;
        byte[] init = len == 0 ? Bytes.EMPTY : Arrays.copyOfRange(f.mem, (int) off, (int) (off + len));
        int resultSlot = op == CREATE2 ? t - 12 : t - 8;
        f.gas = gas;
        CallResult res = evm.create(f.address, value, init, callGas, f.depth + 1, op, salt);
        if (res.created() != null) {
            Address a = res.created();
            s[resultSlot] = a.limb0(); s[resultSlot + 1] = a.limb1(); s[resultSlot + 2] = a.limb2(); s[resultSlot + 3] = 0;
        } else {
            putLong(s, resultSlot, 0);
        }
        f.returnData = res.status() == Status.REVERT ? res.output() : Bytes.EMPTY;
        f.gas += res.gasLeft();
        f.sp = resultSlot + 4;
        f.pc++;
        return CONTINUE;
    }

    private static int selfDestruct(Evm evm, Frame f) {
        if (f.isStatic) return halt(f, Status.STATIC_VIOLATION);
        ForkRules r = evm.rules;
        Host host = evm.host;
        Address beneficiary = addr(f.stack, f.sp - 4);
        long gas = f.gas;
        if (r.eip2929 && !host.warmAccount(beneficiary)) gas -= 2600;
        if (r.eip161) {
            if (!host.balance(f.address).isZero() && host.isEmpty(beneficiary)) gas -= 25000;
        } else if (r.eip150) {
            if (!host.exists(beneficiary)) gas -= 25000;
        }
        if (gas < 0) return oog(f);
        if (r.selfdestructRefund > 0 && !host.hasSelfDestructed(f.address)) host.addRefund(r.selfdestructRefund);
        host.selfDestruct(f.address, beneficiary);
        f.gas = gas;
        f.sp -= 4;
        return Status.SUCCESS;
    }
}
