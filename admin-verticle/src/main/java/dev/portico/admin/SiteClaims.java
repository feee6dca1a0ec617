package dev.portico.admin;

import dev.portico.contract.DomainPattern;
import dev.portico.contract.PatternOverlap;
import dev.portico.contract.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Which host names a caller without a global manager role may take with a site write. A site
 * claims its pattern and, for a {@code *.parent} site with {@code includeApex}, the parent too (its
 * certificate names it). Such a caller may newly claim a name only if it lies inside a domain where
 * it is manager or admin (a {@link Grants grant}, its own or a group's; this rules out {@code **},
 * {@code *.com} and every other catch-all), and only if no host it matches is matched by a site it
 * may not manage (another owner's outside its domains, global admins' included): two patterns that
 * share any host are refused whichever would win the host today, so a tenant never takes hosts
 * away, and never will when a more specific site of its own is later deleted. Sites a user owns
 * stay editable without a grant (owners from before grants existed keep their sites); an edit
 * claims nothing new unless it turns {@code includeApex} on. Global managers and admins are not
 * restricted.
 */
final class SiteClaims {

  /** The most candidate sites one write reads; past it a user's write is refused rather than checked in part. */
  static final int MAX_CANDIDATES = 100_000;

  private final Records records;
  private final SiteSuffixIndex index;

  SiteClaims(Records records, SiteSuffixIndex index) {
    this.records = records;
    this.index = index;
  }

  /**
   * Succeeds when {@code principal} may write site {@code pattern} (with {@code includeApex}) over
   * {@code current}, the stored site it owns ({@code null} for a new site); else fails with 403.
   */
  Future<Void> check(Principal principal, String pattern, boolean includeApex, String current) {
    if (principal.hasGlobal(Role.MANAGER)) {
      return Future.succeededFuture();
    }
    List<DomainPattern> claims = new ArrayList<>();
    if (current == null) {
      claims.add(DomainPattern.parse(pattern));
    }
    if (includeApex && pattern.startsWith("*.") && !(current != null && includesApex(current))) {
      claims.add(DomainPattern.parse(pattern.substring(2)));
    }
    if (claims.isEmpty()) {
      return Future.succeededFuture();
    }
    List<DomainPattern> domains = principal.permissions().domainsWith(Role.MANAGER);
    return Future.<Void>succeededFuture().compose(none -> {
      for (DomainPattern claim : claims) {
        if (domains.stream().noneMatch(domain -> PatternOverlap.inside(claim, domain))) {
          return Future.failedFuture(ApiError.forbidden("'" + claim + "' is outside the domains you manage ("
              + (domains.isEmpty() ? "none" : String.join(", ", domains.stream().map(DomainPattern::text).toList()))
              + "); a global admin grants one with PUT /api/v1/users/{username}/grants/{domain}"));
        }
      }
      return Future.all(claims.stream().map(claim -> notServedByOthers(principal, claim)).toList()).mapEmpty();
    });
  }

  /**
   * Fails with 403, naming a shared host, when a site of another owner matches a host {@code claim}
   * does, or claims one as the parent of its {@code *.parent} pattern (includeApex). Reads the candidate sites a page at a time and stops at the first such site; 409 past
   * {@link #MAX_CANDIDATES} (the work one write may cause is bounded).
   */
  private Future<Void> notServedByOthers(Principal principal, DomainPattern claim) {
    return scan(principal, claim, SiteSuffixIndex.ranges(claim), 0, null, 0);
  }

  private Future<Void> scan(Principal principal, DomainPattern claim, List<SiteSuffixIndex.Range> ranges, int range,
      String after, int read) {
    if (range == ranges.size()) {
      return Future.succeededFuture();
    }
    if (read > MAX_CANDIDATES) {
      return Future.failedFuture(ApiError.conflict("more than " + MAX_CANDIDATES + " sites may share hosts with '"
          + claim + "': too many to check for a user; an admin can create it"));
    }
    return index.page(ranges.get(range), after).compose(patterns -> {
      List<DomainPattern> sharing = patterns.stream().map(DomainPattern::parse)
          .filter(candidate -> PatternOverlap.overlap(claim, candidate) || apexOverlaps(claim, candidate)).toList();
      return records.getAll(sharing.stream().map(site -> RedisKeys.site(site.text())).toList()).compose(sites -> {
        for (int i = 0; i < sites.size(); i++) {
          String site = sites.get(i);
          if (site == null || principal.mayManage(sharing.get(i).text(), site)) {
            continue;
          }
          String shared = PatternOverlap.sharedHost(claim, sharing.get(i));
          if (shared == null && includesApex(site)) {
            shared = PatternOverlap.sharedHost(claim, DomainPattern.parse(sharing.get(i).text().substring(2)));
          }
          if (shared != null) {
            return Future.failedFuture(ApiError.forbidden("'" + claim + "' matches hosts that a site of another "
                + "owner serves (such as " + shared + "); a user may only add names that no one else's site matches"));
          }
        }
        boolean more = patterns.size() == SiteSuffixIndex.PAGE;
        return scan(principal, claim, ranges, more ? range : range + 1, more ? patterns.get(patterns.size() - 1) : null,
            read + patterns.size());
      });
    });
  }

  /**
   * The edge serves a {@code *.parent} certificate for {@code parent} too when it names it (and
   * {@code parent} has no certificate of its own): a user's upload for its site {@code name} may
   * name {@code parent} only if the site claims it ({@code includeApex}, checked when it was set).
   */
  static void checkCertificateNames(Principal principal, String name, String site, List<String> names) {
    if (!principal.hasGlobal(Role.MANAGER) && name.startsWith("*.") && names.contains(name.substring(2))
        && !includesApex(site)) {
      throw ApiError.forbidden("the certificate names " + name.substring(2) + ", which site " + name
          + " does not claim: set its includeApex first");
    }
  }

  /** Whether {@code candidate} is a {@code *.parent} site whose parent (claimed with includeApex) shares a host. */
  private static boolean apexOverlaps(DomainPattern claim, DomainPattern candidate) {
    return candidate.text().startsWith("*.")
        && PatternOverlap.overlap(claim, DomainPattern.parse(candidate.text().substring(2)));
  }

  private static boolean includesApex(String stored) {
    try {
      return Boolean.TRUE.equals(new JsonObject(stored).getValue("includeApex"));
    } catch (RuntimeException invalid) {
      return false;
    }
  }
}
