/** Netty channel-level pieces the edge puts on every connection it accepts or opens ({@link dev.portico.edge.net.HangUpReader}). */
package dev.portico.edge.net;
