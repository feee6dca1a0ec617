package dev.portico.cert;

import dev.portico.cert.dns.DnsProviderException;
import dev.portico.cert.dns.DnsProviders;
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
 * looked — also when anything failed in between. One responder serves one issuance, on its
 * worker thread.
 */
final class Dns01Responder implements AcmeClient.Responder {

  private static final Logger LOG = LoggerFactory.getLogger(Dns01Responder.class);
  /**
   * Longest wait for one provider call: a safety net, as the HTTP providers give up after 15 s
   * without an answer and RFC 2136 after 10 s.
   */
  private static final long CALL_TIMEOUT_MS = 60_000;

  private final DnsProviders.Covering covering;
  private final TxtPropagation propagation;
  private final Dns01ZoneLocks zoneLocks;
  private final long deadline;
  /** The creations of the turn under way, answered or not: withdrawing removes what they created. */
  private final List<Future<TxtRecord>> creations = new ArrayList<>();
  /** The zone's lease during a turn, when the provider keeps one value per zone. */
  private Lease zoneLock;

  /** @param deadline when the issuance ends (epoch ms): no zone lease is waited for past it */
  Dns01Responder(DnsProviders.Covering covering, TxtPropagation propagation, Dns01ZoneLocks zoneLocks,
      long deadline) {
    this.covering = covering;
    this.propagation = propagation;
    this.zoneLocks = zoneLocks;
    this.deadline = deadline;
  }

  @Override
  public String type() {
    return Dns01Challenge.TYPE;
  }

  /**
   * A provider that keeps one TXT value per zone gets the challenges one at a time
   * ({@code *.example.com} and {@code example.com} share {@code _acme-challenge.example.com}).
   */
  @Override
  public List<List<AcmeClient.Answer>> turns(List<AcmeClient.Answer> answers) {
    return covering.provider().holdsSeveralValues() ? AcmeClient.Responder.super.turns(answers)
        : answers.stream().map(List::of).toList();
  }

  @Override
  public void publish(List<AcmeClient.Answer> answers) throws Exception {
    if (!covering.provider().holdsSeveralValues()) {
      zoneLock = zoneLocks.take(covering.zone(), deadline);
    }
    Map<String, List<String>> valuesByName = new LinkedHashMap<>();
    for (AcmeClient.Answer answer : answers) {
      String name = recordName(answer.domain());
      String value = ((Dns01Challenge) answer.challenge()).getDigest();
      Future<TxtRecord> creation = covering.provider().addTxt(covering.zone(), name, value);
      creations.add(creation);
      await(creation, CALL_TIMEOUT_MS, "did not answer creating " + name);
      valuesByName.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      LOG.info("Created the DNS-01 record {} through DNS provider {}", name, covering.id());
    }
    for (Map.Entry<String, List<String>> record : valuesByName.entrySet()) {
      await(propagation.await(covering.zone(), record.getKey(), record.getValue()), propagation.longestWaitMs(),
          "created " + record.getKey() + ", but its name servers could not be checked");
    }
    if (zoneLock != null && zoneLock.lost()) {
      throw new DnsProviderException("lost the lease on the DNS-01 value of " + covering.zone()
          + " (Redis out of reach?): another issuance may have replaced it");
    }
  }

  /** Removes every record this turn's {@link #publish} created, including one answered late. */
  @Override
  public void withdraw(List<AcmeClient.Answer> answers) {
    for (Future<TxtRecord> creation : creations) {
      TxtRecord record;
      try {
        record = await(creation, CALL_TIMEOUT_MS, "did not answer creating a record");
      } catch (Exception notCreated) {
        if (!creation.isComplete()) {
          LOG.error("DNS provider {} never answered creating a DNS-01 record under {}; check the zone by hand",
              covering.id(), covering.zone());
        }
        continue;
      }
      try {
        await(covering.provider().removeTxt(record), CALL_TIMEOUT_MS, "did not answer removing " + record.name());
        LOG.info("Removed the DNS-01 record {} through DNS provider {}", record.name(), covering.id());
      } catch (Exception e) {
        LOG.error("Cannot remove the DNS-01 record {} through DNS provider {}; remove it by hand: {}",
            record.name(), covering.id(), e.getMessage());
      }
    }
    creations.clear();
    if (zoneLock != null) {
      zoneLocks.giveBack(zoneLock);
      zoneLock = null;
    }
  }

  private static String recordName(String domain) {
    return Dns01Challenge.RECORD_NAME_PREFIX + "." + domain;
  }

  /**
   * Waits on the issuing worker thread; a provider's refusal comes out as itself, and a wait
   * past {@code timeoutMs} says what was not answered.
   */
  private <T> T await(Future<T> future, long timeoutMs, String unanswered) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DnsProviderException refusal) {
        throw refusal;
      }
      throw new DnsProviderException("DNS provider " + covering.id() + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new DnsProviderException("DNS provider " + covering.id() + ": " + unanswered + " within "
          + timeoutMs / 1000 + " s");
    }
  }
}
