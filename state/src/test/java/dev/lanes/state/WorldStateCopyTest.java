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
    @Test void aCopyIsIndependentOfItsOriginal() {
        Address a = Address.ofLow(0xaa);
        WorldState s = new WorldState();
        s.put(a, 1, UInt256.of(100), new byte[] {0x60, 0x00}, Map.of(UInt256.ONE, UInt256.of(7)));
        Hash before = s.stateRoot();
        WorldState c = s.copy();
        assertEquals(before, c.stateRoot());
        AccountInfo info = c.account(a);
        c.apply(List.of(new AccountChange(a, new AccountInfo(2, UInt256.of(5), info.codeHash(), true), null, false,
                Map.of(UInt256.ONE, UInt256.of(8), UInt256.of(2), UInt256.of(9)))));
        assertEquals(before, s.stateRoot());
        assertEquals(UInt256.of(7), s.storage(a, UInt256.ONE));
        assertEquals(UInt256.of(8), c.storage(a, UInt256.ONE));
        assertEquals(1, s.account(a).nonce());
        assertNotEquals(before, c.stateRoot());
        assertEquals(2, c.code(info.codeHash()).length);
    }
}
