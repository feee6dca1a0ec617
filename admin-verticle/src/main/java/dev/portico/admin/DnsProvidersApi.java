package dev.portico.admin;

import dev.portico.admin.Api.Reply;
import dev.portico.contract.CertKeys;
import dev.portico.contract.DnsProviderRecord;
import dev.portico.contract.DnsProviderType;
import dev.portico.contract.DomainPattern;
import dev.portico.contract.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;

/**
 * {@code /api/v1/dns-providers}: the DNS provider accounts DNS-01 challenges are answered with,
 * for admins only. Credentials are write-only: sealed in Redis, never returned (a read lists the
 * credential fields that are set), masked in the audit. Each domain belongs to one provider.
 */
final class DnsProvidersApi {

  private final Records records;
  private final SecretRecords providers;
  private final RequestBodies bodies;
  private final SecretBox box;

  DnsProvidersApi(Records records, RequestBodies bodies, SecretBox box) {
    this.records = records;
    this.providers = new SecretRecords(records, "DNS provider", "dns-provider", CertKeys.DNS_PROVIDER_INDEX,
        CertKeys::dnsProvider, DnsProvidersApi::shown);
    this.bodies = bodies;
    this.box = box;
  }

  void mount(Router router) {
    providers.mount(router, "/api/v1/dns-providers", this::write);
  }

  private Future<Reply> write(RoutingContext context) {
    Principal principal = Api.principal(context);
    principal.requireGlobalAdmin();
    principal.requireWrite();
    String id = SecretRecords.id(context);
    JsonObject body = bodies.parse(context, "DnsProvider");
    DnsProviderType type = DnsProviderType.fromJson(body.getString("type"))
        .orElseThrow(() -> ApiError.badRequest("type", "unknown DNS provider type"));
    JsonArray domains = new JsonArray();
    for (Object domain : body.getJsonArray("domains")) {
      domains.add(domain((String) domain));
    }
    String endpoint = body.getString("endpoint");
    if (endpoint != null && DnsProviderRecord.endpointProblem(endpoint) != null) {
      throw ApiError.badRequest("endpoint", DnsProviderRecord.endpointProblem(endpoint));
    }
    String key = CertKeys.dnsProvider(id);
    return Future.all(records.get(key), providers.all()).compose(both -> {
      String current = both.resultAt(0);
      List<JsonObject> others = both.resultAt(1);
      for (JsonObject other : others) {
        if (!other.getString("id").equals(id)) {
          for (Object domain : domains) {
            if (other.getJsonArray("domains", new JsonArray()).contains(domain)) {
              return Future.failedFuture(ApiError.conflict(domain + " already belongs to DNS provider " + other.getString("id")));
            }
          }
        }
      }
      JsonObject credentials = body.getJsonObject("credentials");
      String sealed;
      if (credentials != null) {
        checkCredentials(type, credentials);
        sealed = box.seal(credentials.encode(), key);
      } else if (current != null && type.json().equals(new JsonObject(current).getString("type"))
          && Objects.equals(endpoint, new JsonObject(current).getString("endpoint"))) {
        sealed = new JsonObject(current).getString("credentials");
      } else {
        // the stored credentials go only where they went before: a new endpoint could be anybody's
        return Future.failedFuture(ApiError.badRequest("credentials",
            "credentials are required for a new provider, type or endpoint"));
      }
      JsonObject stored = new JsonObject().put("id", id).put("type", type.json()).put("domains", domains)
          .put("credentials", sealed).put("updatedAt", System.currentTimeMillis());
      if (endpoint != null) {
        stored.put("endpoint", endpoint);
      }
      return providers.write(principal, id, current, stored);
    });
  }

  /** The provider whose zone holds {@code name}, or null. */
  Future<DnsProviderRecord> covering(String name) {
    return providers.all().map(stored -> DnsProviderRecord.covering(
        stored.stream().map(DnsProviderRecord::fromJson).toList(), name));
  }

  private static void checkCredentials(DnsProviderType type, JsonObject credentials) {
    for (String field : credentials.fieldNames()) {
      if (!type.credentialFields().contains(field)) {
        throw ApiError.badRequest("credentials." + field, "a " + type.json() + " provider takes "
            + String.join(", ", type.credentialFields()));
      }
      if (!(credentials.getValue(field) instanceof String value) || value.isEmpty() || value.length() > 4096) {
        throw ApiError.badRequest("credentials." + field, "credentials are non-empty strings");
      }
    }
    for (String field : type.credentialFields()) {
      if (!credentials.containsKey(field)) {
        throw ApiError.badRequest("credentials." + field, "a " + type.json() + " provider needs " + field);
      }
    }
  }

  /** What the API and the audit show: which credential fields are set, never their values. */
  private static JsonObject shown(JsonObject stored) {
    DnsProviderType type = DnsProviderType.fromJson(stored.getString("type")).orElse(null);
    JsonObject shown = stored.copy();
    shown.remove("credentials");
    return shown.put("credentialsSet", new JsonArray(type == null || stored.getString("credentials") == null
        ? List.of() : type.credentialFields()));
  }

  private static String domain(String domain) {
    try {
      DomainPattern parsed = DomainPattern.parse(domain);
      if (!parsed.isWildcard()) {
        return parsed.text();
      }
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("domains", e.getMessage());
    }
    throw ApiError.badRequest("domains", "a domain is a zone name like example.com, not a pattern");
  }
}
