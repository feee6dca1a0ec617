package dev.portico.cert.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for a DNS provider's HTTP API, on 127.0.0.1 and a free port: each subclass
 * follows one provider's documented API (paths, authentication, JSON shapes, status codes, error
 * bodies). The records it holds are passed to a {@link TxtSink} (such as the DNS server the test
 * CA consults), so a DNS-01 challenge runs for real from Portico's side.
 */
public abstract class FakeDnsApi implements AutoCloseable {

  /** Where created TXT records become visible; names without a trailing dot. */
  public interface TxtSink {
    Future<Void> add(String name, String value);

    Future<Void> remove(String name, String value);
  }

  /** A sink that shows records nowhere (tests of the API shapes alone). */
  public static final TxtSink NOWHERE = new TxtSink() {
    @Override
    public Future<Void> add(String name, String value) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String name, String value) {
      return Future.succeededFuture();
    }
  };

  /** One request as received: method, path with query, JSON body (or null), and when it came. */
  public record Received(String method, String uri, JsonObject body, long atMillis) {
  }

  /** A TXT record held: its full name and value. */
  protected record Held(String name, String value) {
  }

  private final TxtSink sink;
  private final HttpServer server;
  private final Map<String, Held> records = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private volatile boolean failing;
  private volatile int failingRequest;
  private volatile boolean publishing = true;

  protected FakeDnsApi(Vertx vertx, TxtSink sink) {
    this.sink = sink;
    this.server = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject json = null;
      try {
        json = body.length() == 0 ? null : body.toJsonObject();
      } catch (RuntimeException notJson) {
        // the subclass answers as the provider would
      }
      received.add(new Received(request.method().name(), request.uri(), json, System.currentTimeMillis()));
      if (failing || received.size() == failingRequest) {
        serverError(request);
      } else {
        handle(request, json);
      }
    })).listen(0, "127.0.0.1"));
  }

  /** Answers one request as the provider does. */
  protected abstract void handle(HttpServerRequest request, JsonObject body);

  /** The provider's answer to a request it cannot serve (its 5xx). */
  protected abstract void serverError(HttpServerRequest request);

  /** The base URL to give the provider class, as its {@code endpoint}. */
  public abstract String endpoint();

  protected int port() {
    return server.actualPort();
  }

  /** From now on every call gets the provider's 5xx answer. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** The {@code n}th request received (counting from 1) gets the provider's 5xx answer. */
  public void failingRequest(int n) {
    this.failingRequest = n;
  }

  /** With {@code false}, records are kept and answered as created but never reach the sink. */
  public void publishing(boolean publishing) {
    this.publishing = publishing;
  }

  /** The TXT values held now, by name. */
  public Map<String, List<String>> txt() {
    Map<String, List<String>> txt = new TreeMap<>();
    records.values().forEach(held -> txt.computeIfAbsent(held.name(), n -> new ArrayList<>()).add(held.value()));
    return txt;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Keeps a new record and shows it through the sink; its id. */
  protected Future<String> create(String name, String value) {
    String id = Long.toString(ids.incrementAndGet());
    records.put(id, new Held(name, value));
    return (publishing ? sink.add(name, value) : Future.<Void>succeededFuture()).map(id);
  }

  /** Drops a record (false when there is none with that id) and withdraws it from the sink. */
  protected Future<Boolean> delete(String id) {
    Held held = records.remove(id);
    if (held == null) {
      return Future.succeededFuture(false);
    }
    return (publishing ? sink.remove(held.name(), held.value()) : Future.<Void>succeededFuture()).map(true);
  }

  /** The record with {@code id}, or null. */
  protected Held held(String id) {
    return records.get(id);
  }

  protected TxtSink sink() {
    return publishing ? sink : NOWHERE;
  }

  /** The id of the record at {@code name}, if any (providers holding one value per name). */
  protected String idOf(String name) {
    return records.entrySet().stream().filter(e -> e.getValue().name().equals(name)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
  }

  protected static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  protected static String bearer(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
  }

  @Override
  public void close() {
    await(server.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** A sink keeping the values in memory. */
  public static final class InMemory implements TxtSink {
    private final Map<String, List<String>> values = new ConcurrentHashMap<>();

    @Override
    public Future<Void> add(String name, String value) {
      values.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(value);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String name, String value) {
      values.getOrDefault(name, new ArrayList<>()).remove(value);
      values.computeIfPresent(name, (n, list) -> list.isEmpty() ? null : list);
      return Future.succeededFuture();
    }

    public Map<String, List<String>> values() {
      return Map.copyOf(values);
    }
  }
}
