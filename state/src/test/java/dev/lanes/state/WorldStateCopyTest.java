package dev.lanes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorldStateCopyTest {
    @Test void copyIsIndependentOfTheOriginal() {
        Address a = Address.fromHex("0x00000000000000000000000000000000000000aa");
        WorldState s = new WorldState();
        s.put(a, 1, UInt256.of(100), new byte[] {0x60, 0x00}, Map.of(UInt256.ONE, UInt256.of(7)));
        Hash before = s.stateRoot();
        WorldState c = s.copy();
        assertEquals(before, c.stateRoot());
        // A storage write through apply() must not reach the original's slot map.
        c.apply(List.of(new AccountChange(a, new AccountInfo(2, UInt256.of(5), c.account(a).codeHash(), true), null,
                false, Map.of(UInt256.ONE, UInt256.ZERO, UInt256.of(2), UInt256.of(9)))));
        assertEquals(before, s.stateRoot(), "changing the copy must leave the original alone");
        assertNotEquals(before, c.stateRoot());
        assertEquals(Map.of(UInt256.ONE, UInt256.of(7)), s.storageOf(a));
        assertEquals(Map.of(UInt256.of(2), UInt256.of(9)), c.storageOf(a));
    }
}
