package dev.portico.launcher;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server (grpc-java on its shaded Netty) with a service defined without protoc:
 * methods of {@code portico.test.Echo} whose messages are UTF-8 text.
 */
final class GrpcBackend implements AutoCloseable {

  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<String, String> COUNT = method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<String, String> JOIN = method("Join", MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
  static final MethodDescriptor<String, String> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
  static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Server server;
  /** Counted down when a Slow call is cancelled (its client gave up, the edge reset the stream). */
  final CountDownLatch slowCancelled = new CountDownLatch(1);
  /** The deadline a Slow call arrived with, in ms left (from grpc-timeout), or -1 without one. */
  volatile long slowDeadlineMs = -2;

  GrpcBackend(ServerCredentials credentials) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), credentials)
        .addService(service()).build().start();
  }

  int port() {
    return server.getPort();
  }

  private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("portico.test.Echo", name))
        .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
  }

  private ServerServiceDefinition service() {
    return ServerServiceDefinition.builder("portico.test.Echo")
        .addMethod(SAY, ServerCalls.asyncUnaryCall((request, out) -> {
          out.onNext("hello " + request);
          out.onCompleted();
        }))
        .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, out) -> {
          for (int i = 1; i <= Integer.parseInt(request); i++) {
            out.onNext(Integer.toString(i));
          }
          out.onCompleted();
        }))
        .addMethod(JOIN, ServerCalls.asyncClientStreamingCall((StreamObserver<String> out) -> new StreamObserver<String>() {
          private final StringBuilder joined = new StringBuilder();

          @Override
          public void onNext(String value) {
            joined.append(value);
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
            out.onNext(joined.toString());
            out.onCompleted();
          }
        }))
        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<String> out) -> new StreamObserver<String>() {
          @Override
          public void onNext(String value) {
            out.onNext(value.toUpperCase(java.util.Locale.ROOT));
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
            out.onCompleted();
          }
        }))
        .addMethod(SLOW, ServerCalls.asyncUnaryCall((request, out) -> {
          Context context = Context.current();
          slowDeadlineMs = context.getDeadline() == null ? -1 : context.getDeadline().timeRemaining(TimeUnit.MILLISECONDS);
          context.addListener(cancelled -> slowCancelled.countDown(), Runnable::run);
          timer.schedule(() -> {
            if (!context.isCancelled()) {
              out.onNext("late");
              out.onCompleted();
            }
          }, 20, TimeUnit.SECONDS);
        }))
        .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, out) -> {
          Metadata trailers = new Metadata();
          trailers.put(DETAIL, "looked everywhere");
          out.onError(Status.NOT_FOUND.withDescription("no such thing: " + request).asRuntimeException(trailers));
        }))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    timer.shutdownNow();
  }
}
