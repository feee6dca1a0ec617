package dev.portico.benchmarks;

import dev.portico.edge.upstream.pool.ConnectionPools;
import dev.portico.edge.upstream.pool.PoolLimits;
import dev.portico.edge.upstream.pool.PooledCall;
import dev.portico.edge.upstream.pool.RequestHead;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and heap allocated per backend request on the calling event loop, for Vert.x's
 * {@link HttpClient} (as the edge used it) and the edge's own {@link ConnectionPools}: a backend
 * on another event loop answers 100 bytes; the client keeps 64 requests in flight, as the proxy
 * benchmark does. Thread CPU time is what moves least on a shared machine.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.portico.benchmarks.UpstreamClientCost [requests]</pre>
 */
public final class UpstreamClientCost {

  private static final int IN_FLIGHT = 64;
  private static final Buffer BODY = Buffer.buffer("x".repeat(100));

  private UpstreamClientCost() {
  }

  /** One way of sending a GET and reading its whole response; calls {@code done} on the event loop. */
  private interface Client {
    void get(int port, Runnable done);
  }

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int port = vertx.createHttpServer().requestHandler(r -> r.response().end(BODY)).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    for (int round = 0; round < 3; round++) {
      run(vertx, "vertx-httpclient", port, requests, vertxClient(vertx));
      run(vertx, "netty-pools", port, requests, null);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Client vertxClient(Vertx vertx) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxHeaderSize(16 * 1024),
        new PoolOptions().setHttp1MaxSize(256));
    return (port, done) -> client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/")
            .setHeaders(headers()).setConnectTimeout(5_000).setIdleTimeout(60_000))
        .compose(request -> request.send())
        .compose(response -> response.body())
        .onComplete(ar -> done.run());
  }

  private static Client poolsClient(Vertx vertx) {
    ConnectionPools pools = new ConnectionPools(vertx, PoolLimits.DEFAULTS);
    return (port, done) -> pools.open(new RequestHead("127.0.0.1", port, HttpMethod.GET, "/", headers(), 5_000, 60_000),
        ready -> {
          PooledCall call = ready.result();
          call.response(head -> {
            Buffer body = Buffer.buffer();
            head.result().handler(body::appendBuffer);
            head.result().endHandler(v -> done.run());
          });
          call.send(PooledCall.NO_BODY);
        });
  }

  private static HeadersMultiMap headers() {
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
    headers.set("Host", "bench.test");
    headers.set("X-Forwarded-For", "127.0.0.1");
    headers.set("X-Forwarded-Proto", "http");
    return headers;
  }

  private static void run(Vertx vertx, String name, int port, int requests, Client given) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<long[]> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      Client client = given != null ? given : poolsClient(vertx);
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long thread = Thread.currentThread().getId();
      long cpu0 = threads.getThreadCpuTime(thread);
      long alloc0 = threads.getThreadAllocatedBytes(thread);
      long wall0 = System.nanoTime();
      AtomicLong started = new AtomicLong();
      AtomicLong finished = new AtomicLong();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (finished.incrementAndGet() == requests) {
          result.complete(new long[] {threads.getThreadCpuTime(thread) - cpu0,
              threads.getThreadAllocatedBytes(thread) - alloc0, System.nanoTime() - wall0});
        } else if (started.incrementAndGet() <= requests) {
          client.get(port, next[0]);
        }
      };
      for (int i = 0; i < IN_FLIGHT; i++) {
        started.incrementAndGet();
        client.get(port, next[0]);
      }
    });
    long[] r = result.get(10, TimeUnit.MINUTES);
    System.out.printf("%-18s %7.2f µs CPU/request on the client loop, %6.0f bytes allocated/request, %8.0f req/s%n",
        name, r[0] / 1e3 / requests, (double) r[1] / requests, requests / (r[2] / 1e9));
  }
}
