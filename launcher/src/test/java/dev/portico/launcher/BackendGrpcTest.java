package dev.portico.launcher;

import dev.portico.contract.StoredCertificate;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gRPC end to end through the edge: a real grpc-java server behind Portico, over h2c ({@code h2c://}
 * target, the client on the edge's HTTP port with prior knowledge) and over TLS ({@code https://}
 * target with h2 by ALPN, the client on the edge's HTTPS port with ALPN): every kind of call,
 * deadlines, a backend's error status and trailers, and the edge's own errors as gRPC statuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendGrpcTest {

  private static final String BACKEND_NAME = "grpc.internal";
  private static final long WAIT_S = 20;

  /** How the client reaches the edge and the edge reaches the backend. */
  enum Way { H2C, TLS }

  private final TestCa ca = TestCa.create("gRPC backend CA");
  private Harness harness;
  private GrpcBackend clearBackend;
  private GrpcBackend tlsBackend;
  private String edgeCertificate;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    harness = new Harness();
    clearBackend = new GrpcBackend(InsecureServerCredentials.create());
    TestCa.Issued issued = ca.issue(BACKEND_NAME);
    tlsBackend = new GrpcBackend(TlsServerCredentials.create(stream(issued.certPem()), stream(issued.keyPem())));
    harness.putSite("h2c.grpc.test", site("h2c://127.0.0.1:" + clearBackend.port()).encode());
    harness.putSite("tls.grpc.test", site("https://127.0.0.1:" + tlsBackend.port())
        .put("backendTls", new JsonObject().put("caPem", ca.pem()).put("serverName", BACKEND_NAME).put("http2", true))
        .put("tls", "manual").encode());
    String stored = TestCertificates.stored("tls.grpc.test");
    edgeCertificate = StoredCertificate.fromJson(new JsonObject(stored)).certificatePem();
    Harness.await(harness.redisApi.set(List.of("portico:cert:tls.grpc.test", stored)));
    harness.putSite("down.grpc.test", site("h2c://127.0.0.1:" + Harness.freePort()).encode());
    harness.putSite("denied.grpc.test", site("h2c://127.0.0.1:" + clearBackend.port())
        .put("ipDeny", new JsonArray().add("127.0.0.0/8")).encode());
  }

  @AfterAll
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    clearBackend.close();
    tlsBackend.close();
    harness.close();
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void unary(Way way) {
    assertEquals("hello portico", ClientCalls.blockingUnaryCall(channel(way), GrpcBackend.SAY, options(), "portico"));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void serverStreaming(Way way) {
    Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel(way), GrpcBackend.COUNT, options(), "500");
    List<String> got = new ArrayList<>();
    replies.forEachRemaining(got::add);
    assertEquals(500, got.size());
    assertEquals("500", got.get(499));
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void clientStreaming(Way way) throws Exception {
    Replies replies = new Replies();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
        channel(way).newCall(GrpcBackend.JOIN, options()), replies);
    for (int i = 0; i < 200; i++) {
      requests.onNext("x".repeat(1000));
    }
    requests.onCompleted();
    assertEquals(200_000, replies.next().length());
    assertTrue(replies.completed(), "the call ends with an OK status");
  }

  /** Each message is answered before the next is sent: nothing waits for the end of either stream. */
  @ParameterizedTest
  @EnumSource(Way.class)
  void bidirectionalStreaming(Way way) throws Exception {
    Replies replies = new Replies();
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
        channel(way).newCall(GrpcBackend.CHAT, options()), replies);
    for (String word : List.of("one", "two", "three")) {
      requests.onNext(word);
      assertEquals(word.toUpperCase(java.util.Locale.ROOT), replies.next());
    }
    requests.onCompleted();
    assertTrue(replies.completed(), "the call ends with an OK status");
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aBackendErrorReachesTheClientWithItsMessageAndTrailers(Way way) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel(way), GrpcBackend.FAIL, options(), "thé 100%"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("no such thing: thé 100%", e.getStatus().getDescription());
    assertEquals("looked everywhere", e.getTrailers().get(GrpcBackend.DETAIL));
  }

  /** The client's deadline travels as grpc-timeout to the backend, and the backend's call is cancelled when it passes. */
  @Test
  void aDeadlineIsHonouredEndToEnd() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel(Way.H2C), GrpcBackend.SLOW,
            CallOptions.DEFAULT.withDeadlineAfter(800, TimeUnit.MILLISECONDS), "wait"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(clearBackend.slowDeadlineMs > 0 && clearBackend.slowDeadlineMs <= 800,
        "the backend saw the deadline: " + clearBackend.slowDeadlineMs);
    assertTrue(clearBackend.slowCancelled.await(WAIT_S, TimeUnit.SECONDS), "the backend's call was cancelled");
  }

  @Test
  void theEdgesOwnErrorsAreGrpcStatuses() {
    assertEquals(Status.Code.UNAVAILABLE, statusOf("down.grpc.test").getCode());
    assertEquals(Status.Code.PERMISSION_DENIED, statusOf("denied.grpc.test").getCode());
    Status unknown = statusOf("nosuchsite.grpc.test");
    assertEquals(Status.Code.UNIMPLEMENTED, unknown.getCode());
    assertEquals("No site is configured for nosuchsite.grpc.test", unknown.getDescription());
  }

  private Status statusOf(String host) {
    ManagedChannel channel = track(NettyChannelBuilder.forAddress("127.0.0.1", harness.httpPort(),
        InsecureChannelCredentials.create()).overrideAuthority(host).build());
    return assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.SAY, options(), "x")).getStatus();
  }

  private ManagedChannel channel(Way way) {
    if (way == Way.H2C) {
      return track(NettyChannelBuilder.forAddress("127.0.0.1", harness.httpPort(), InsecureChannelCredentials.create())
          .overrideAuthority("h2c.grpc.test").build());
    }
    try {
      ChannelCredentials trust = TlsChannelCredentials.newBuilder().trustManager(stream(edgeCertificate)).build();
      return track(NettyChannelBuilder.forAddress("127.0.0.1", harness.httpsPort(), trust)
          .overrideAuthority("tls.grpc.test").build());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private ManagedChannel track(ManagedChannel channel) {
    channels.add(channel);
    return channel;
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(WAIT_S, TimeUnit.SECONDS);
  }

  private static JsonObject site(String target) {
    return new JsonObject().put("targets", new JsonArray().add(target));
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** The replies of a streaming call, as they come. */
  private static final class Replies implements StreamObserver<String> {
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onNext(String value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      events.add(t);
    }

    @Override
    public void onCompleted() {
      events.add(Status.OK);
    }

    String next() throws InterruptedException {
      Object event = events.poll(WAIT_S, TimeUnit.SECONDS);
      if (!(event instanceof String text)) {
        throw new AssertionError("expected a message, got " + event);
      }
      return text;
    }

    boolean completed() throws InterruptedException {
      return events.poll(WAIT_S, TimeUnit.SECONDS) == Status.OK;
    }
  }
}
