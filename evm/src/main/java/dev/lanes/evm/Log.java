package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import java.util.List;

/** An event log entry emitted by LOG0..LOG4. */
public record Log(Address address, List<Hash> topics, byte[] data) {}
