package dev.portico.lookup;

import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads the site keys a SCAN {@code MATCH} pattern selects, with their values, a page at a time
 * (SCAN, then MGET of the page). Each page is requested from the reply to the one before, and the
 * end completes a single promise: neither the stack nor a chain of futures grows with the number
 * of keys (a recursive {@code compose} over 1,000 pages overflowed the stack when it completed).
 */
final class SiteScan {

  /** Every site key. */
  static final String ALL_SITES = RedisKeys.SITE_PREFIX + "*";
  /** The keys of wildcard sites: a {@code *} anywhere in the pattern ({@code [*]} is a literal star in a glob). */
  static final String WILDCARD_SITES = RedisKeys.SITE_PREFIX + "*[*]*";

  private final RedisAPI api;
  private final String match;
  private final int count;
  private final boolean skipWildcards;
  private final BiConsumer<String, String> onSite;
  private final Promise<Void> done = Promise.promise();

  /**
   * @param match         the SCAN MATCH glob ({@link #ALL_SITES} or {@link #WILDCARD_SITES})
   * @param count         the SCAN COUNT hint: keys Redis looks at per page
   * @param skipWildcards leave out patterns with a {@code *} (read on their own, first)
   * @param onSite        gets each pattern and its JSON (a key deleted meanwhile is left out)
   */
  private SiteScan(RedisAPI api, String match, int count, boolean skipWildcards, BiConsumer<String, String> onSite) {
    this.api = api;
    this.match = match;
    this.count = count;
    this.skipWildcards = skipWildcards;
    this.onSite = onSite;
  }

  static Future<Void> read(RedisAPI api, String match, int count, boolean skipWildcards,
      BiConsumer<String, String> onSite) {
    SiteScan scan = new SiteScan(api, match, count, skipWildcards, onSite);
    scan.page("0");
    return scan.done.future();
  }

  private void page(String cursor) {
    api.scan(List.of(cursor, "MATCH", match, "COUNT", Integer.toString(count))).onComplete(scanned -> {
      if (scanned.failed()) {
        done.fail(scanned.cause());
        return;
      }
      String next = scanned.result().get(0).toString();
      List<String> keys = new ArrayList<>(scanned.result().get(1).size());
      for (Response key : scanned.result().get(1)) {
        String name = key.toString();
        if (!(skipWildcards && name.indexOf('*', RedisKeys.SITE_PREFIX.length()) >= 0)) {
          keys.add(name);
        }
      }
      if (keys.isEmpty()) {
        continueFrom(next);
        return;
      }
      api.mget(keys).onComplete(values -> {
        if (values.failed()) {
          done.fail(values.cause());
          return;
        }
        for (int i = 0; i < keys.size(); i++) {
          Response value = values.result().get(i);
          if (value != null) {
            onSite.accept(RedisKeys.patternOfSiteKey(keys.get(i)), value.toString());
          }
        }
        continueFrom(next);
      });
    });
  }

  private void continueFrom(String cursor) {
    if ("0".equals(cursor)) {
      done.complete();
    } else {
      page(cursor);
    }
  }
}
