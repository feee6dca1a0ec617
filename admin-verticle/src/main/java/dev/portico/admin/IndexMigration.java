package dev.portico.admin;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.IndexKeys;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the listing indexes from the keys themselves, once per Redis: the site indexes (by name,
 * by suffix, by owner) for sites written before the indexes existed or loaded straight into Redis
 * ({@code redis-cli --pipe}), and {@link IndexKeys#CERT_INDEX} for certificates stored before it
 * existed. Runs in the background after the admin API listens (a million sites take a few
 * seconds of SCAN); until it is done, lists may miss old records. Only adds members, so it is
 * safe beside writers; marks {@link IndexKeys#INDEX_VERSION} when done, and later starts skip it.
 * Pages are requested from each reply, so nothing grows with the number of keys.
 */
final class IndexMigration {

  private static final Logger LOG = LoggerFactory.getLogger(IndexMigration.class);
  static final String VERSION = "1";
  private static final int SCAN_COUNT = 5000;

  private final Records records;
  private long sites;
  private long certificates;

  private IndexMigration(Records records) {
    this.records = records;
  }

  /** Builds the indexes unless this Redis has them already; the future ends when they are built. */
  static Future<Void> runIfNeeded(Records records) {
    return records.get(IndexKeys.INDEX_VERSION).compose(version -> {
      if (VERSION.equals(version)) {
        return Future.succeededFuture();
      }
      IndexMigration migration = new IndexMigration(records);
      long started = System.nanoTime();
      return migration.scan(RedisKeys.SITE_PREFIX, migration::indexSites)
          .compose(v -> migration.scan(RedisKeys.CERT_PREFIX, migration::indexCertificates))
          .compose(v -> records.send(Request.cmd(Command.SET).arg(IndexKeys.INDEX_VERSION).arg(VERSION)))
          .onSuccess(v -> LOG.info("Indexed {} sites and {} certificates found in Redis in {} ms", migration.sites,
              migration.certificates, (System.nanoTime() - started) / 1_000_000))
          .onFailure(e -> LOG.warn("Could not index the sites and certificates in Redis (next start retries): {}",
              e.getMessage()))
          .mapEmpty();
    });
  }

  private interface PageIndexer {
    Future<?> index(List<String> keys);
  }

  private Future<Void> scan(String prefix, PageIndexer indexer) {
    Promise<Void> done = Promise.promise();
    page(prefix, "0", indexer, done);
    return done.future();
  }

  private void page(String prefix, String cursor, PageIndexer indexer, Promise<Void> done) {
    records.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(SCAN_COUNT))
        .compose(page -> {
          List<String> keys = new ArrayList<>();
          page.get(1).forEach(key -> keys.add(key.toString()));
          return (keys.isEmpty() ? Future.succeededFuture() : indexer.index(keys)).map(page.get(0).toString());
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else if ("0".equals(ar.result())) {
            done.complete();
          } else {
            page(prefix, ar.result(), indexer, done);
          }
        });
  }

  private Future<?> indexSites(List<String> keys) {
    return records.getAll(keys).compose(values -> {
      Request byName = Request.cmd(Command.ZADD).arg(IndexKeys.SITE_INDEX);
      Request bySuffix = Request.cmd(Command.ZADD).arg(IndexKeys.SITE_SUFFIX_INDEX);
      Map<String, Request> byOwner = new HashMap<>();
      int added = 0;
      for (int i = 0; i < keys.size(); i++) {
        String pattern = canonical(RedisKeys.patternOfSiteKey(keys.get(i)));
        if (pattern == null || values.get(i) == null) {
          continue;
        }
        byName.arg(0).arg(pattern);
        bySuffix.arg(0).arg(SiteSuffixIndex.reversed(pattern));
        String owner = SitesApi.ownerOf(values.get(i));
        if (owner != null) {
          byOwner.computeIfAbsent(owner, o -> Request.cmd(Command.ZADD).arg(IndexKeys.sitesByOwner(o)))
              .arg(0).arg(pattern);
        }
        added++;
      }
      if (added == 0) {
        return Future.succeededFuture();
      }
      sites += added;
      List<Future<Response>> adds = new ArrayList<>(List.of(records.send(byName), records.send(bySuffix)));
      byOwner.values().forEach(add -> adds.add(records.send(add)));
      return Future.all(adds);
    });
  }

  private Future<?> indexCertificates(List<String> keys) {
    Request add = Request.cmd(Command.ZADD).arg(IndexKeys.CERT_INDEX);
    keys.forEach(key -> add.arg(0).arg(key.substring(RedisKeys.CERT_PREFIX.length())));
    certificates += keys.size();
    return records.send(add);
  }

  /** The pattern of a key if it is stored in canonical form (what the lookup serves), else {@code null}. */
  private static String canonical(String pattern) {
    try {
      return DomainPattern.parse(pattern).text().equals(pattern) ? pattern : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
