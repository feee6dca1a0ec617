package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reading a site's policy fields from JSON someone else wrote: each reader checks the type and
 * bounds of what it takes and names the field it refuses, so a crafted site never reaches the
 * edge half-understood.
 */
final class PolicyJson {

  private PolicyJson() {
  }

  static boolean bool(JsonObject json, String field, boolean defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new InvalidSiteException(field, field + " must be true or false");
    }
    return b;
  }

  static int integer(JsonObject json, String field, int defaultValue, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw new InvalidSiteException(field, field + " must be an integer from " + min + " to " + max);
    }
    return ((Number) value).intValue();
  }

  static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw new InvalidSiteException(field, field + " must be an object");
    }
    return (JsonObject) value;
  }

  static JsonArray array(JsonObject json, String field, String path, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array) || array.size() > max) {
      throw new InvalidSiteException(path, path + " must be an array of at most " + max + " entries");
    }
    return array;
  }

  static void entries(JsonObject object, String path, int max) {
    if (object.size() > max) {
      throw new InvalidSiteException(path, path + " has more than " + max + " entries");
    }
  }

  /** The object without its null fields: what a read shows can be written back as it is (the schema has no nulls). */
  static JsonObject withoutNulls(JsonObject json) {
    json.fieldNames().removeIf(field -> json.getValue(field) == null);
    return json;
  }

  /** An HTTP token (RFC 9110 5.6.2), of a bounded length: what a header name may be. */
  static boolean isToken(String text) {
    return text.length() <= 256 && FieldSyntax.isToken(text);
  }

  /** A field value of a bounded length, without controls (no header injection): {@link FieldSyntax#isFieldValue}. */
  static boolean isFieldValue(String text) {
    return text.length() <= 4096 && FieldSyntax.isFieldValue(text);
  }
}
