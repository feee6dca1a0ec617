package dev.portico.edge.policy;

import dev.portico.contract.Cidr;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.pipeline.SiteFilter;
import dev.portico.edge.pipeline.Step;

import java.util.List;

/**
 * A site's {@code ipAllow} and {@code ipDeny}: the client's address ({@link FilterContext#clientAddress()})
 * must be in an allowed range, if any are listed, and in no denied one; else 403. A client whose
 * address cannot be known is refused by either list.
 */
final class IpRulesFilter implements SiteFilter {

  private final List<Cidr> allow;
  private final List<Cidr> deny;

  IpRulesFilter(List<Cidr> allow, List<Cidr> deny) {
    this.allow = allow;
    this.deny = deny;
  }

  @Override
  public Step onRequest(FilterContext context) {
    byte[] client = context.clientAddress();
    boolean refused = !deny.isEmpty() && (client == null || anyContains(deny, client))
        || !allow.isEmpty() && (client == null || !anyContains(allow, client));
    return refused ? Step.answer(Answer.error(403, "forbidden", "Your address may not use this site")) : Step.PASS;
  }

  private static boolean anyContains(List<Cidr> ranges, byte[] address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
