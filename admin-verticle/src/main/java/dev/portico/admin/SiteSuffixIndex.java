package dev.portico.admin;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.IndexKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link IndexKeys#SITE_SUFFIX_INDEX}: every site pattern with its labels reversed, so that the
 * sites which may share a host with a pattern come out of a few lexical ranges instead of a read
 * of every site. A site {@code S} shares a host with {@code P} only if, read from the right, S
 * agrees with P's literal suffix {@code L} (the labels before P's first wildcard) either all the
 * way (S lies under L) or up to a wildcard of its own: the ranges {@code rev(L)}, {@code rev(L).…},
 * and {@code rev(L[..k]).*…} for each shorter part of L. The caller tests each candidate exactly.
 */
final class SiteSuffixIndex {

  private static final Logger LOG = LoggerFactory.getLogger(SiteSuffixIndex.class);
  /** Members read at once: each page is tested before the next is read, so no step holds the event loop long. */
  static final int PAGE = 1000;
  private static final int REBUILD_PAGE = 10_000;
  /** Above every byte of an ASCII member: the end of a prefix range. */
  private static final String AFTER_ALL = "\u00ff";

  private final Records records;

  SiteSuffixIndex(Records records) {
    this.records = records;
  }

  /** The member of a pattern ({@code *.corp.test} is {@code test.corp.*}), and the pattern of a member. */
  static String reversed(String name) {
    List<String> labels = new ArrayList<>(List.of(name.split("\\.")));
    Collections.reverse(labels);
    return String.join(".", labels);
  }

  /** A lexical range of members: {@code [min, max]} in ZRANGEBYLEX terms. */
  record Range(String min, String max) {
  }

  /** The ranges holding every site that may share a host with {@code pattern} (disjoint; test each site). */
  static List<Range> ranges(DomainPattern pattern) {
    List<String> literal = literalSuffixReversed(pattern);
    List<Range> ranges = new ArrayList<>();
    if (literal.isEmpty()) {
      ranges.add(new Range("-", "+"));
      return ranges;
    }
    String suffix = String.join(".", literal);
    ranges.add(new Range("[" + suffix, "[" + suffix));
    ranges.add(new Range("[" + suffix + ".", "[" + suffix + "." + AFTER_ALL));
    for (int k = 0; k < literal.size(); k++) {
      String wildcardAfter = (k == 0 ? "" : String.join(".", literal.subList(0, k)) + ".") + DomainPattern.ONE_LABEL;
      ranges.add(new Range("[" + wildcardAfter, "[" + wildcardAfter + AFTER_ALL));
    }
    return ranges;
  }

  /** Up to {@link #PAGE} site patterns of {@code range} whose members sort after {@code after} ({@code null}: from its start). */
  Future<List<String>> page(Range range, String after) {
    return records.send(Request.cmd(Command.ZRANGEBYLEX).arg(IndexKeys.SITE_SUFFIX_INDEX)
        .arg(after == null ? range.min() : "(" + reversed(after)).arg(range.max())
        .arg("LIMIT").arg(0).arg(PAGE)).map(response -> {
          List<String> patterns = new ArrayList<>(response.size());
          response.forEach(member -> patterns.add(reversed(member.toString())));
          return patterns;
        });
  }

  /** The labels of {@code pattern} from the right up to its first wildcard. */
  private static List<String> literalSuffixReversed(DomainPattern pattern) {
    String[] labels = pattern.labels();
    List<String> literal = new ArrayList<>();
    for (int i = labels.length - 1; i >= 0; i--) {
      if (labels[i].equals(DomainPattern.ONE_LABEL) || labels[i].equals(DomainPattern.ANY_LABELS)) {
        break;
      }
      literal.add(labels[i]);
    }
    return literal;
  }

  /**
   * Adds every pattern of {@link IndexKeys#SITE_INDEX} to this index when the two differ in size
   * (sites written before this index existed). Runs before the API listens; members are only
   * added, so a node starting beside a serving one never hides a site from its checks (a member
   * left by a deleted site only adds a candidate, whose missing site is skipped).
   */
  Future<Void> rebuildIfIncomplete() {
    return Future.all(records.send(Request.cmd(Command.ZCARD).arg(IndexKeys.SITE_INDEX)),
            records.send(Request.cmd(Command.ZCARD).arg(IndexKeys.SITE_SUFFIX_INDEX)))
        .compose(counts -> {
          long sites = counts.<io.vertx.redis.client.Response>resultAt(0).toLong();
          long members = counts.<io.vertx.redis.client.Response>resultAt(1).toLong();
          if (sites == members) {
            return Future.succeededFuture();
          }
          LOG.info("Indexing {} site patterns by suffix ({} indexed)", sites, members);
          return addFrom(null);
        });
  }

  private Future<Void> addFrom(String after) {
    return records.page(IndexKeys.SITE_INDEX, null, after, REBUILD_PAGE).compose(page -> {
      if (page.items().isEmpty()) {
        return Future.succeededFuture();
      }
      Request add = Request.cmd(Command.ZADD).arg(IndexKeys.SITE_SUFFIX_INDEX);
      page.items().forEach(pattern -> add.arg(0).arg(reversed(pattern)));
      return records.send(add).compose(v -> page.next() == null ? Future.succeededFuture() : addFrom(page.next()));
    });
  }
}
