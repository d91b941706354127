/**
 * The development sequencer node (docs/node.md): {@link dev.lanes.node.Chain} seals blocks through the executor,
 * {@link dev.lanes.node.TxPool} orders what goes into them, {@link dev.lanes.node.Calls} answers calls and gas
 * estimates, {@link dev.lanes.node.ChainStore} keeps the chain, and {@link dev.lanes.node.Node} runs them all on
 * one chain thread behind the JSON-RPC server ({@code rpc/}). Header fields follow the Yellow Paper and the EIPs
 * cited where they are computed; pool messages follow geth, which wallets match on.
 */
package dev.lanes.node;
