/** What the edge records of each request ({@link dev.portico.edge.observe.Exchange}): metrics and the access log. */
package dev.portico.edge.observe;
