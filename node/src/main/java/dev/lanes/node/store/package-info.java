/**
 * The persistent chain store: {@link dev.lanes.node.store.RocksChainStore} keeps blocks, receipts, indexes, the
 * head state as flat entries and per-block undo records in a RocksDB data directory, one synced write batch per
 * block (docs/node.md, "Storage"; docs/architecture.md for why RocksDB).
 */
package dev.lanes.node.store;
