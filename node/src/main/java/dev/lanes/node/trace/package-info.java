/**
 * Tracers for the node's debug and access-list methods: each is an evm {@link dev.lanes.evm.Tracer} that watches
 * one transaction and renders what it saw in geth's JSON formats.
 */
package dev.lanes.node.trace;
