package dev.portico.cert;

import dev.portico.cert.dns.DnsProvider;
import dev.portico.cert.dns.DnsProviderException;
import dev.portico.cert.dns.TxtPropagation;
import dev.portico.cert.dns.TxtRecord;
import io.vertx.core.Future;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers DNS-01 challenges through a DNS provider: creates the {@code _acme-challenge} TXT
 * records, waits until the zone's name servers serve them, and removes them after the CA has
 * looked — also when anything failed in between. One responder serves one issuance.
 */
final class Dns01Responder implements AcmeClient.Responder {

  private static final Logger LOG = LoggerFactory.getLogger(Dns01Responder.class);
  /** Longest wait for one provider API call (they time out on their own before this). */
  private static final long CALL_TIMEOUT_MS = 60_000;

  private final DnsProvider provider;
  private final String providerId;
  private final String zone;
  private final TxtPropagation propagation;
  private final List<TxtRecord> created = new ArrayList<>();

  /**
   * @param providerId the provider record's id, for messages
   * @param zone       the provider's zone holding the names of this issuance
   */
  Dns01Responder(DnsProvider provider, String providerId, String zone, TxtPropagation propagation) {
    this.provider = provider;
    this.providerId = providerId;
    this.zone = zone;
    this.propagation = propagation;
  }

  @Override
  public String type() {
    return Dns01Challenge.TYPE;
  }

  /**
   * A provider that keeps one TXT value per name gets the challenges in turns, no two of one turn
   * sharing a record name ({@code *.example.com} and {@code example.com} do).
   */
  @Override
  public List<List<AcmeClient.Answer>> turns(List<AcmeClient.Answer> answers) {
    if (provider.holdsSeveralValues() || answers.isEmpty()) {
      return AcmeClient.Responder.super.turns(answers);
    }
    List<List<AcmeClient.Answer>> turns = new ArrayList<>();
    for (AcmeClient.Answer answer : answers) {
      List<AcmeClient.Answer> turn = turns.stream()
          .filter(t -> t.stream().noneMatch(other -> other.domain().equals(answer.domain())))
          .findFirst().orElse(null);
      if (turn == null) {
        turn = new ArrayList<>();
        turns.add(turn);
      }
      turn.add(answer);
    }
    return turns;
  }

  @Override
  public void publish(List<AcmeClient.Answer> answers) throws Exception {
    Map<String, List<String>> valuesByName = new LinkedHashMap<>();
    for (AcmeClient.Answer answer : answers) {
      String name = recordName(answer.domain());
      String value = ((Dns01Challenge) answer.challenge()).getDigest();
      created.add(await(provider.addTxt(zone, name, value), CALL_TIMEOUT_MS));
      valuesByName.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      LOG.info("Created the DNS-01 record {} through DNS provider {}", name, providerId);
    }
    for (Map.Entry<String, List<String>> record : valuesByName.entrySet()) {
      await(propagation.await(zone, record.getKey(), record.getValue()), Long.MAX_VALUE);
    }
  }

  @Override
  public void withdraw(List<AcmeClient.Answer> answers) {
    for (TxtRecord record : List.copyOf(created)) {
      try {
        await(provider.removeTxt(record), CALL_TIMEOUT_MS);
        created.remove(record);
        LOG.info("Removed the DNS-01 record {} through DNS provider {}", record.name(), providerId);
      } catch (Exception e) {
        LOG.error("Cannot remove the DNS-01 record {} through DNS provider {}; remove it by hand: {}",
            record.name(), providerId, e.getMessage());
      }
    }
  }

  private static String recordName(String domain) {
    return Dns01Challenge.RECORD_NAME_PREFIX + "." + domain;
  }

  /** Waits on the issuing worker thread; a provider's refusal comes out as itself. */
  private <T> T await(Future<T> future, long timeoutMs) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DnsProviderException refusal) {
        throw refusal;
      }
      throw new DnsProviderException("DNS provider " + providerId + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new DnsProviderException("DNS provider " + providerId + " did not answer within " + timeoutMs / 1000 + " s");
    }
  }
}
