package dev.portico.cert;

import io.vertx.core.json.JsonObject;

/**
 * What {@code portico:cert-state:<name>} holds: the outcome of the last issuance or renewal
 * attempt for a name, read as is by the admin API.
 *
 * <pre>{"status": "issued"|"failed"|"pending", "error": "...", "attempts": 2,
 *  "lastAttemptAt": 1763856000000, "nextAttemptAt": 1763856120000,
 *  "notAfter": 1771632000000, "renewAt": 1769040000000, "renewalInfoCheckedAt": 1763856000000}</pre>
 *
 * @param attempts      failures in a row (0 after a success)
 * @param nextAttemptAt while failing, no attempt before this time (epoch ms); 0 otherwise
 * @param notAfter      expiry of the stored certificate (0 when none was issued)
 * @param renewAt       when the scheduler renews it (0 when none was issued)
 * @param renewalInfoCheckedAt when the CA's renewal information was last asked for (0: never)
 */
record IssuanceState(String status, String error, int attempts, long lastAttemptAt, long nextAttemptAt,
    long notAfter, long renewAt, long renewalInfoCheckedAt) {

  static final String ISSUED = "issued";
  static final String FAILED = "failed";
  static final String PENDING = "pending";

  static IssuanceState fromJson(JsonObject json) {
    return new IssuanceState(json.getString("status", FAILED), json.getString("error"),
        json.getInteger("attempts", 0), json.getLong("lastAttemptAt", 0L), json.getLong("nextAttemptAt", 0L),
        json.getLong("notAfter", 0L), json.getLong("renewAt", 0L), json.getLong("renewalInfoCheckedAt", 0L));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("status", status).put("attempts", attempts)
        .put("lastAttemptAt", lastAttemptAt).put("nextAttemptAt", nextAttemptAt)
        .put("notAfter", notAfter).put("renewAt", renewAt).put("renewalInfoCheckedAt", renewalInfoCheckedAt);
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }

  /** Whether a new attempt must wait (a failure's backoff has not run out at {@code now}). */
  boolean backingOff(long now) {
    return FAILED.equals(status) && nextAttemptAt > now;
  }

  IssuanceState pending(long now) {
    return new IssuanceState(PENDING, null, attempts, now, 0, notAfter, renewAt, renewalInfoCheckedAt);
  }

  static IssuanceState issued(long now, long notAfter, long renewAt) {
    return new IssuanceState(ISSUED, null, 0, now, 0, notAfter, renewAt, now);
  }

  /** The state with a renewal time revised from the CA's renewal information at {@code now}. */
  IssuanceState renewalInfoChecked(long now, long newRenewAt) {
    return new IssuanceState(status, error, attempts, lastAttemptAt, nextAttemptAt, notAfter, newRenewAt, now);
  }

  /** The state after one more failure: the wait doubles from {@code baseMs} up to {@code maxMs}. */
  IssuanceState failed(long now, String error, long baseMs, long maxMs) {
    int failures = attempts + 1;
    long backoff = baseMs << Math.min(failures - 1, 30);
    if (backoff <= 0 || backoff > maxMs) {
      backoff = maxMs;
    }
    return new IssuanceState(FAILED, error, failures, now, now + backoff, notAfter, renewAt, renewalInfoCheckedAt);
  }

  static IssuanceState none() {
    return new IssuanceState(PENDING, null, 0, 0, 0, 0, 0, 0);
  }
}
