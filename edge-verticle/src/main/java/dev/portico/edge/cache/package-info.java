/**
 * The edge's response cache: the store SPI ({@link dev.portico.edge.cache.ResponseCache}) with
 * its in-process, byte-weighed implementation, and the RFC 9111 rules as pure logic (what may be
 * stored, for how long, under which key). The filter that uses them is in {@code edge.policy}.
 */
package dev.portico.edge.cache;
