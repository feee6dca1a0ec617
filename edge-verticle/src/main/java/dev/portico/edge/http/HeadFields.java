package dev.portico.edge.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.util.Iterator;
import java.util.Map;

/**
 * Walks the fields of a head as they are stored. An HTTP/1.x head's map ({@link HeadersMultiMap},
 * which the request decoder and the backend pool's response decoder fill) is walked over its own
 * entries: its {@code Map.Entry<String, String>} iterator would make a wrapper object and a String
 * copy of every name per walk, and the edge walks every request head twice (validation, the
 * backend's copy) and every response head once. Other maps (HTTP/2) are walked as they offer.
 */
final class HeadFields {

  private HeadFields() {
  }

  /** The fields of {@code headers}, in order, as name and value. */
  static Iterator<? extends Map.Entry<? extends CharSequence, ? extends CharSequence>> of(MultiMap headers) {
    return headers instanceof HeadersMultiMap own ? own.iteratorCharSequence() : headers.iterator();
  }
}
