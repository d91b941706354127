package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;

/**
 * A message call or contract creation. For CALL the recipient and code address are the callee; for
 * CALLCODE and DELEGATECALL the recipient is the caller's own address and the code comes from
 * {@code codeAddress}. For CREATE/CREATE2 {@code input} is the init code and {@code recipient} is unused.
 */
public record Message(int kind, Address caller, Address recipient, Address codeAddress, UInt256 value,
                      byte[] input, long gas, int depth, boolean isStatic, UInt256 salt) {
    public static Message call(Address caller, Address to, UInt256 value, byte[] input, long gas) {
        return new Message(Opcodes.CALL, caller, to, to, value, input, gas, 0, false, null);
    }

    public static Message create(Address caller, UInt256 value, byte[] initCode, long gas) {
        return new Message(Opcodes.CREATE, caller, null, null, value, initCode, gas, 0, false, null);
    }
}
