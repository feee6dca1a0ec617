package dev.portico.edge.policy;

import dev.portico.edge.cache.CachedResponse;
import dev.portico.edge.cache.Freshness;
import dev.portico.edge.pipeline.Answer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.util.List;

/** Answers made from a stored response: the response itself, or a 304 to a client's matching conditional request. */
final class CachedAnswers {

  static final String X_CACHE = "X-Cache";
  /** Fields a 304 carries (RFC 9110 §15.4.5). */
  private static final List<CharSequence> NOT_MODIFIED_FIELDS = List.of(HttpHeaders.CACHE_CONTROL,
      HttpHeaders.CONTENT_LOCATION, HttpHeaders.DATE, HttpHeaders.ETAG, HttpHeaders.EXPIRES, HttpHeaders.VARY,
      HttpHeaders.LAST_MODIFIED);

  private CachedAnswers() {
  }

  /** {@code entry} as the answer to {@code method}, marked {@code xCache}, with its age at {@code now}. */
  static Answer of(CachedResponse entry, HttpMethod method, MultiMap requestHeaders, String xCache, long now) {
    long ageSeconds = Freshness.ageMs(entry, now) / 1000;
    Answer answer;
    if (notModified(entry, requestHeaders)) {
      answer = new Answer(304, null);
      for (CharSequence name : NOT_MODIFIED_FIELDS) {
        entry.headerValues(name).forEach(value -> answer.header(name, value));
      }
    } else {
      answer = new Answer(entry.status(), method == HttpMethod.HEAD ? null : entry.body());
      for (int i = 0; i < entry.fieldCount(); i++) {
        answer.header(entry.fieldName(i), entry.fieldValue(i));
      }
    }
    answer.headers().set(HttpHeaders.AGE, Long.toString(ageSeconds));
    answer.headers().set(X_CACHE, xCache);
    return answer;
  }

  /**
   * Whether the client's condition holds for the entry (RFC 9110 §13.2.2): {@code If-None-Match}
   * when it has one, else {@code If-Modified-Since} against the entry's {@code Last-Modified}.
   */
  private static boolean notModified(CachedResponse entry, MultiMap requestHeaders) {
    List<String> ifNoneMatch = requestHeaders.getAll(HttpHeaders.IF_NONE_MATCH);
    if (!ifNoneMatch.isEmpty()) {
      return notModified(entry.header(HttpHeaders.ETAG), ifNoneMatch);
    }
    String since = requestHeaders.get(HttpHeaders.IF_MODIFIED_SINCE);
    String lastModified = entry.header(HttpHeaders.LAST_MODIFIED);
    if (since == null || lastModified == null) {
      return false;
    }
    long sinceMs = Freshness.httpDate(since);
    long modifiedMs = Freshness.httpDate(lastModified);
    return sinceMs >= 0 && modifiedMs >= 0 && modifiedMs <= sinceMs;
  }

  /** Whether {@code If-None-Match} names the entity tag (weak comparison, RFC 9110 §13.1.2), or is {@code *}. */
  static boolean notModified(String etag, List<String> ifNoneMatch) {
    if (etag == null || ifNoneMatch.isEmpty()) {
      return false;
    }
    String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
    int seen = 0;
    for (String value : ifNoneMatch) {
      for (String tag : value.split(",", 65)) {
        if (++seen > 64) {
          return false;
        }
        String candidate = tag.trim();
        if (candidate.equals("*")) {
          return true;
        }
        if ((candidate.startsWith("W/") ? candidate.substring(2) : candidate).equals(opaque)) {
          return true;
        }
      }
    }
    return false;
  }
}
