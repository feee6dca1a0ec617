package dev.portico.lookup;

import dev.portico.contract.DomainPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lookup verticle knows of the sites. Wildcard sites sit in the {@link DomainTree}; exact
 * sites are not in it — an exact site serves only its own name, which Redis answers by key. Only
 * when changes must be found by sweeping (no keyspace notifications) are exact sites kept, as a
 * fingerprint of their JSON, to tell which ones a sweep changed. No site JSON is held: an answer
 * reads it from Redis. So memory grows with the wildcards, not with the exact sites or what the
 * sites say.
 */
final class SiteState {

  private static final Logger LOG = LoggerFactory.getLogger(SiteState.class);

  /** What applying one site's current value did. */
  enum Change { NONE, CHANGED, ADDED_WILDCARD }

  /** A wildcard site: its parsed pattern (overlap checks) and the fingerprint of its JSON. */
  record Wildcard(DomainPattern pattern, long fingerprint) {
  }

  private DomainTree<Long> tree = new DomainTree<>();
  private Map<String, Wildcard> wildcards = new HashMap<>();
  private Map<String, Long> exact = new HashMap<>();
  /** Whether exact sites are fingerprinted (the sweep); otherwise every change to one counts. */
  private boolean trackingExact;

  /** The wildcard entry serving a canonical host, or {@code null}. */
  DomainTree.Entry<Long> matchWildcard(String host) {
    return tree.match(host);
  }

  /** Every wildcard matching a canonical host, in the order they would win. */
  List<DomainTree.Entry<Long>> matchAllWildcards(String host) {
    return tree.matchAll(host);
  }

  Collection<Wildcard> wildcards() {
    return wildcards.values();
  }

  int wildcardCount() {
    return wildcards.size();
  }

  /** Keeps fingerprints of exact sites from now on: the managed-Redis sweep needs them to tell what changed. */
  void trackExactSites() {
    trackingExact = true;
  }

  /** Drops the exact sites' fingerprints: keyspace notifications name every change again. */
  void stopTrackingExactSites() {
    trackingExact = false;
    exact = new HashMap<>();
  }

  boolean tracksExactSites() {
    return trackingExact;
  }

  /** Whether a site is held here: a wildcard, or an exact site while they are tracked. */
  boolean holds(String pattern) {
    return wildcards.containsKey(pattern) || exact.containsKey(pattern);
  }

  /** Every pattern held here (a copy): the wildcards, and the exact sites while they are tracked. */
  List<String> patterns() {
    List<String> all = new ArrayList<>(wildcards.size() + exact.size());
    all.addAll(wildcards.keySet());
    all.addAll(exact.keySet());
    return all;
  }

  /** Whether {@code pattern} is the canonical form of an exact site's name. */
  static boolean isExact(String pattern) {
    try {
      DomainPattern parsed = DomainPattern.parse(pattern);
      return !parsed.isWildcard() && parsed.text().equals(pattern);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Applies a site's current JSON ({@code null}: deleted); patterns not in canonical form are ignored. */
  Change put(String pattern, String json) {
    DomainPattern parsed = parse(pattern);
    if (parsed == null) {
      return Change.NONE;
    }
    Long fingerprint = json == null ? null : fingerprint(json);
    if (!parsed.isWildcard()) {
      if (!trackingExact) {
        return Change.CHANGED;
      }
      Long previous = fingerprint == null ? exact.remove(pattern) : exact.put(pattern, fingerprint);
      return java.util.Objects.equals(previous, fingerprint) ? Change.NONE : Change.CHANGED;
    }
    if (fingerprint == null) {
      tree.remove(parsed);
      return wildcards.remove(pattern) != null ? Change.CHANGED : Change.NONE;
    }
    Wildcard previous = wildcards.put(pattern, new Wildcard(parsed, fingerprint));
    tree.put(parsed, fingerprint);
    if (previous == null) {
      return Change.ADDED_WILDCARD;
    }
    return previous.fingerprint() == fingerprint ? Change.NONE : Change.CHANGED;
  }

  /**
   * Replaces every wildcard site with {@code loaded} (pattern to fingerprint); returns the
   * patterns added, removed or changed.
   */
  List<String> replaceWildcards(Map<String, Long> loaded) {
    Map<String, Wildcard> before = wildcards;
    tree = new DomainTree<>();
    wildcards = new HashMap<>();
    List<String> changed = new ArrayList<>();
    loaded.forEach((pattern, fingerprint) -> {
      DomainPattern parsed = parse(pattern);
      if (parsed != null && parsed.isWildcard()) {
        wildcards.put(pattern, new Wildcard(parsed, fingerprint));
        tree.put(parsed, fingerprint);
        Wildcard old = before.get(pattern);
        if (old == null || old.fingerprint() != fingerprint) {
          changed.add(pattern);
        }
      }
    });
    before.keySet().stream().filter(pattern -> !wildcards.containsKey(pattern)).forEach(changed::add);
    return changed;
  }

  /** Replaces every exact site with {@code loaded}; returns the patterns added, removed or changed. */
  List<String> replaceExact(Map<String, Long> loaded) {
    Map<String, Long> before = exact;
    exact = new HashMap<>(loaded.size() * 4 / 3 + 1);
    List<String> changed = new ArrayList<>();
    loaded.forEach((pattern, fingerprint) -> {
      DomainPattern parsed = parse(pattern);
      if (parsed != null && !parsed.isWildcard()) {
        exact.put(parsed.text(), fingerprint);
        if (!fingerprint.equals(before.get(pattern))) {
          changed.add(pattern);
        }
      }
    });
    before.keySet().stream().filter(pattern -> !exact.containsKey(pattern)).forEach(changed::add);
    return changed;
  }

  /** The pattern, or {@code null} (logged) when the key does not hold a canonical pattern. */
  private static DomainPattern parse(String pattern) {
    try {
      DomainPattern parsed = DomainPattern.parse(pattern);
      if (parsed.text().equals(pattern)) {
        return parsed;
      }
      LOG.warn("Ignoring site key for {}: patterns are stored in canonical form", printable(pattern));
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring site key for {}: not a domain pattern", printable(pattern));
    }
    return null;
  }

  /** A key written by anyone, made safe for one log line (no control characters, bounded). */
  private static String printable(String pattern) {
    String shown = pattern.length() > 100 ? pattern.substring(0, 100) + "..." : pattern;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * A 64-bit FNV-1a hash of a site's JSON: equal JSON, equal fingerprint. Not collision-proof
   * against crafted input, and need not be: a site's owner who makes an edit collide with the old
   * value only delays the resynchronisation's notice of that one site of its own.
   */
  static long fingerprint(String json) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < json.length(); i++) {
      hash ^= json.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
