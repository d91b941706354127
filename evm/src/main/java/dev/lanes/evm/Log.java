package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.rlp.RlpWriter;
import java.util.List;

/** An event log entry emitted by LOG0..LOG4. */
public record Log(Address address, List<Hash> topics, byte[] data) {
    /** Writes {@code logs} as the RLP list [[address, [topics...], data], ...] that receipts and logs hashes use. */
    public static void writeList(RlpWriter w, List<Log> logs) {
        w.startList();
        for (Log l : logs) {
            w.startList();
            w.writeBytes(l.address.unsafeBytes());
            w.startList();
            for (Hash t : l.topics) w.writeBytes(t.unsafeBytes());
            w.endList();
            w.writeBytes(l.data);
            w.endList();
        }
        w.endList();
    }
}
