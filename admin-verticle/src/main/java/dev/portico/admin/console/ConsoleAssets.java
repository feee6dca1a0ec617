package dev.portico.admin.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's files, served from memory on the admin port: {@code /} is its page,
 * {@code /console/<file>} its scripts and styles. The files named in {@code console/files.txt}
 * are read from the class path once, at start-up, and gzipped once, so a request costs a map
 * look-up; only those names are served (no path from a request ever reaches a file system).
 * Browsers revalidate with the ETag, so a new version is picked up on the next load.
 */
public final class ConsoleAssets {

  private static final String ROOT = "console/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "png", "image/png", "json", "application/json");

  private record Asset(String type, Buffer plain, Buffer gzipped, String etag) {
  }

  private final Map<String, Asset> assets = new HashMap<>();

  private ConsoleAssets() {
  }

  /** Reads every listed file; a missing one fails the start, not a browser's first visit. */
  public static ConsoleAssets load() {
    ConsoleAssets console = new ConsoleAssets();
    for (String line : new String(read("files.txt"), StandardCharsets.UTF_8).split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        byte[] bytes = read(name);
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        console.assets.put(name, new Asset(TYPES.getOrDefault(extension, "application/octet-stream"),
            Buffer.buffer(bytes), Buffer.buffer(gzip(bytes)), '"' + sha256(bytes) + '"'));
      }
    }
    return console;
  }

  public void mount(Router router) {
    router.get("/").handler(context -> send(context, "index.html"));
    router.get("/console/:file").handler(context -> send(context, context.pathParam("file")));
  }

  private void send(RoutingContext context, String name) {
    Asset asset = assets.get(name);
    if (asset == null) {
      context.next();
      return;
    }
    HttpServerResponse response = context.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.type())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    if (asset.etag().equals(context.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
    } else if (acceptsGzip(context.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip").end(asset.gzipped());
    } else {
      response.end(asset.plain());
    }
  }

  /** Every browser sends {@code gzip}; a client that refuses it with {@code q=0} gets plain bytes. */
  private static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] parts = coding.split(";");
      if (parts[0].strip().equals("gzip")) {
        return parts.length == 1 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
      }
    }
    return false;
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the console file " + ROOT + name + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
