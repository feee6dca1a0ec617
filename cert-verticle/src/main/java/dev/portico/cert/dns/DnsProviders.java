package dev.portico.cert.dns;

import dev.portico.contract.CertKeys;
import dev.portico.contract.DnsProviderRecord;
import dev.portico.contract.DnsProviderType;
import dev.portico.contract.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The DNS provider accounts the admin API stored in Redis, turned into {@link DnsProvider}s: the
 * one covering a name is read, its credentials unsealed and its API client made when a DNS-01
 * challenge needs it (they are few and change rarely, so nothing is cached).
 */
public final class DnsProviders {

  /** The provider account that manages a name, ready to use. */
  public record Covering(String id, String zone, DnsProvider provider) {
  }

  private final Vertx vertx;
  private final Redis redis;
  private final SecretBox secrets;
  private final WebClient http;

  public DnsProviders(Vertx vertx, Redis redis, SecretBox secrets, WebClient http) {
    this.vertx = vertx;
    this.redis = redis;
    this.secrets = secrets;
    this.http = http;
  }

  /**
   * The provider whose zone holds {@code name}; fails with a {@link DnsProviderException} saying
   * what to do when there is none or its record is unusable.
   */
  public Future<Covering> covering(String name) {
    return redis.send(Request.cmd(Command.ZRANGE).arg(CertKeys.DNS_PROVIDER_INDEX).arg(0).arg(-1))
        .compose(ids -> {
          if (ids.size() == 0) {
            return Future.succeededFuture(List.<DnsProviderRecord>of());
          }
          Request mget = Request.cmd(Command.MGET);
          ids.forEach(id -> mget.arg(CertKeys.dnsProvider(id.toString())));
          return redis.send(mget).map(DnsProviders::records);
        })
        .compose(records -> {
          DnsProviderRecord record = DnsProviderRecord.covering(records, name);
          if (record == null) {
            return Future.failedFuture(new DnsProviderException("DNS-01 needs a DNS provider, and none covers " + name
                + ": add one for its zone with PUT /api/v1/dns-providers/{id}"));
          }
          JsonObject credentials;
          try {
            credentials = new JsonObject(secrets.open(record.credentials(), CertKeys.dnsProvider(record.id())));
          } catch (Exception e) {
            return Future.failedFuture(new DnsProviderException("the credentials of DNS provider " + record.id()
                + " cannot be opened (was PORTICO_SECRET_KEY changed?)"));
          }
          return Future.succeededFuture(new Covering(record.id(), record.zoneOf(name),
              provider(record.type(), record.endpoint(), credentials)));
        });
  }

  private DnsProvider provider(DnsProviderType type, String endpoint, JsonObject credentials) {
    return switch (type) {
      case CLOUDFLARE -> new CloudflareDns(http, endpoint, credentials);
      case DIGITALOCEAN -> new DigitalOceanDns(http, endpoint, credentials);
      case PORKBUN -> new PorkbunDns(http, endpoint, credentials);
      case DUCKDNS -> new DuckDnsDns(http, endpoint, credentials);
      case RFC2136 -> new Rfc2136Dns(vertx, credentials);
    };
  }

  private static List<DnsProviderRecord> records(Response values) {
    List<DnsProviderRecord> records = new ArrayList<>();
    for (Response value : values) {
      if (value != null) {
        records.add(DnsProviderRecord.fromJson(new JsonObject(value.toString())));
      }
    }
    return records;
  }
}
