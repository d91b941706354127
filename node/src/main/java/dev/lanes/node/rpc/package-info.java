/**
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over HTTP, with the Ethereum execution API's method names
 * and formats (https://github.com/ethereum/execution-apis; geth's output where the specification is silent).
 * Handlers translate and validate, then ask the node; limits are configuration checked before work starts, and
 * every error code is chosen in {@link dev.lanes.node.rpc.RpcError} and {@link dev.lanes.node.rpc.JsonRpc}.
 */
package dev.lanes.node.rpc;
