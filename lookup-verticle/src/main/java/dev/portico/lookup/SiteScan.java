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
 * (SCAN, then MGET of the page, the next SCAN overlapping the MGET). Each page is requested from
 * the reply to the one before, and the end completes a single promise: neither the stack nor a chain of futures grows with the number
 * of keys (a recursive {@code compose} over 1,000 pages overflowed the stack when it completed).
 */
final class SiteScan {

  /** MGETs of pages in flight at once: the next SCAN overlaps them, and memory stays a few pages. */
  private static final int MAX_READS = 2;

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
  /** Reads of values in flight. */
  private int reads;
  /** The cursor to continue from once fewer reads are in flight, or {@code null}. */
  private String cursorAfter;
  private boolean scanned;

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
        done.tryFail(scanned.cause());
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
      if (!keys.isEmpty()) {
        read(keys);
      }
      cursorAfter = next;
      scanMore();
    });
  }

  /** The next page is asked for while the values of this one are read, up to {@link #MAX_READS} reads at once. */
  private void scanMore() {
    if (cursorAfter == null || reads >= MAX_READS || done.future().isComplete()) {
      return;
    }
    String cursor = cursorAfter;
    cursorAfter = null;
    if ("0".equals(cursor)) {
      scanned = true;
      finishIfDone();
    } else {
      page(cursor);
    }
  }

  private void read(List<String> keys) {
    reads++;
    api.mget(keys).onComplete(values -> {
      reads--;
      if (values.failed()) {
        done.tryFail(values.cause());
        return;
      }
      for (int i = 0; i < keys.size(); i++) {
        Response value = values.result().get(i);
        if (value != null) {
          onSite.accept(RedisKeys.patternOfSiteKey(keys.get(i)), value.toString());
        }
      }
      scanMore();
      finishIfDone();
    });
  }

  private void finishIfDone() {
    if (scanned && reads == 0) {
      done.tryComplete();
    }
  }
}
