package dev.portico.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
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
      validators.put(name, Validator.create(JsonSchema.of(schemas.getJsonObject(name)), options));
    }
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
      OutputUnit first = result.getErrors() == null || result.getErrors().isEmpty() ? result : result.getErrors().get(0);
      String field = fieldOf(first.getInstanceLocation());
      throw ApiError.badRequest(field, (field == null ? "" : field + ": ") + first.getError());
    }
    return body;
  }

  /** {@code /targets/0} is field {@code targets}, {@code /credentials/apiToken} is {@code credentials.apiToken}. */
  private static String fieldOf(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.isEmpty() || "/".equals(instanceLocation)) {
      return null;
    }
    String[] parts = instanceLocation.replaceFirst("^#?/", "").split("/");
    StringBuilder field = new StringBuilder();
    for (String part : parts) {
      if (part.chars().allMatch(Character::isDigit)) {
        break;
      }
      field.append(field.length() == 0 ? "" : ".").append(part);
    }
    return field.length() == 0 ? null : field.toString();
  }
}
