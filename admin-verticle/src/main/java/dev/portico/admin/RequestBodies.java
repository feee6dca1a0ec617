package dev.portico.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Request bodies, checked against the schemas of the API's own OpenAPI document
 * ({@code openapi.json}, served at {@code /api/v1/openapi.json}), so the document and the checks
 * cannot drift apart: a JSON content type (415 otherwise), a JSON object (400), and the operation's
 * schema — types, required and unknown fields, sizes — with the offending field named.
 */
final class RequestBodies {

  private final JsonObject document;
  private final Map<String, Validator> validators = new HashMap<>();

  private RequestBodies(JsonObject document) {
    this.document = document;
    JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setOutputFormat(OutputFormat.Basic).setBaseUri("https://portico.dev/api/v1/");
    for (String name : schemas.fieldNames()) {
      validators.put(name, Validator.create(JsonSchema.of((JsonObject) inline(schemas.getJsonObject(name))), options));
    }
  }

  /**
   * {@code node} with every {@code $ref} into this document replaced by what it points at (a route
   * refers to the site's policy schemas), since each schema is validated on its own.
   */
  private Object inline(Object node) {
    if (node instanceof JsonObject object) {
      if (object.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
        return inline(JsonPointer.from(ref.substring(1)).queryJson(document));
      }
      JsonObject copy = new JsonObject();
      object.forEach(entry -> copy.put(entry.getKey(), inline(entry.getValue())));
      return copy;
    }
    if (node instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(inline(item)));
      return copy;
    }
    return node;
  }

  static RequestBodies load() {
    try (InputStream in = RequestBodies.class.getResourceAsStream("/openapi.json")) {
      return new RequestBodies(new JsonObject(Buffer.buffer(in.readAllBytes())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonObject document() {
    return document;
  }

  /** The body of {@code context}, valid against the schema {@code schemaName}. */
  JsonObject parse(RoutingContext context, String schemaName) {
    String type = context.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(Api.JSON)) {
      throw ApiError.unsupportedMediaType("send the body as " + Api.JSON);
    }
    Buffer raw = context.body().buffer();
    JsonObject body;
    try {
      Object parsed = raw == null ? null : io.vertx.core.json.Json.decodeValue(raw);
      if (!(parsed instanceof JsonObject object)) {
        throw ApiError.badRequest(null, "the body must be a JSON object");
      }
      body = object;
    } catch (DecodeException e) {
      throw ApiError.badRequest(null, "the body is not valid JSON");
    }
    return validate(body, schemaName);
  }

  /** {@code body} if it is valid against the schema {@code schemaName}; else a 400 naming the field. */
  JsonObject validate(JsonObject body, String schemaName) {
    JsonObject schema = document.getJsonObject("components").getJsonObject("schemas").getJsonObject(schemaName);
    if (Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      for (String field : body.fieldNames()) {
        if (!properties.containsKey(field)) {
          throw ApiError.badRequest(field, "unknown field '" + field + "' (known: "
              + String.join(", ", properties.fieldNames()) + ")");
        }
      }
    }
    OutputUnit result = validators.get(schemaName).validate(body);
    if (!Boolean.TRUE.equals(result.getValid())) {
      OutputUnit first = deepest(result);
      String field = fieldOf(first.getInstanceLocation());
      throw ApiError.badRequest(field, (field == null ? "" : field + ": ") + first.getError());
    }
    return body;
  }

  /**
   * The error deepest in the body (a route's field, not the whole {@code routes} array that holds
   * it); the first of those when several are as deep.
   */
  private static OutputUnit deepest(OutputUnit result) {
    OutputUnit deepest = result;
    int depth = -1;
    for (OutputUnit error : result.getErrors() == null ? java.util.List.<OutputUnit>of() : result.getErrors()) {
      String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
      int errorDepth = (int) location.chars().filter(c -> c == '/').count();
      if (errorDepth > depth) {
        deepest = error;
        depth = errorDepth;
      }
    }
    return deepest;
  }

  /**
   * {@code /targets/0} is field {@code targets}, {@code /credentials/apiToken} is
   * {@code credentials.apiToken}, {@code /routes/3/regex} is {@code routes[3].regex}: the index
   * into a top-level array is kept when a field inside the entry follows (the names the site
   * parser uses), deeper ones end the name ({@code /routes/3/jwt/keys/0/alg} is
   * {@code routes[3].jwt.keys}).
   */
  static String fieldOf(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.isEmpty() || "/".equals(instanceLocation)) {
      return null;
    }
    String[] parts = instanceLocation.replaceFirst("^#?/", "").split("/");
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
        if (i != 1 || i + 1 == parts.length) {
          break;
        }
        field.append('[').append(part).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(part);
      }
    }
    return field.length() == 0 ? null : field.toString();
  }
}
