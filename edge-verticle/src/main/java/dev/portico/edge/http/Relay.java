package dev.portico.edge.http;

import dev.portico.contract.FieldSyntax;
import dev.portico.edge.LogSafe;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.pipeline.Answer;
import dev.portico.edge.pipeline.BodyTransform;
import dev.portico.edge.pipeline.FilterChain;
import dev.portico.edge.pipeline.FilterContext;
import dev.portico.edge.upstream.BackendCall;
import dev.portico.edge.upstream.BackendResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the request path: a response head — the backend's, a WebSocket's 101, or a
 * filter's {@link Answer} — goes through the site's response filters, then its body streams to
 * the client (through the filters' {@link BodyTransform}, if any) with back-pressure, or the
 * connections are spliced for the tunnel, and the backend's trailers follow the body. A gRPC
 * call refused by a filter gets a gRPC status. {@code context} is null for a site without filters.
 */
final class Relay {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private Relay() {
  }

  /** Relays the backend's response: its end-to-end head, edited by the filters, then its body. */
  static void respond(Exchange exchange, FilterChain filters, FilterContext context, BackendCall call,
      BackendResponse backend) {
    HttpServerRequest request = exchange.request();
    HttpServerResponse response = request.response();
    int status = backend.status();
    response.setStatusCode(status);
    String message = backend.statusMessage();
    if (request.version() != HttpVersion.HTTP_2 && FieldSyntax.isFieldValue(message)
        && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      response.setStatusMessage(message);  // (a status object per response: only for a phrase of the backend's own)
    }
    MultiMap headers = response.headers();
    ProxyHeaders.toClient(backend.headers(), headers, false);
    headers.set(Exchange.REQUEST_ID, exchange.requestId());
    BodyTransform transform = null;
    if (context != null) {
      context.respond(status, headers);
      Answer instead = filters.onBackendResponse(context);
      if (instead != null) {  // a 304 that confirmed a cached entry: the entry goes out, the (empty) body is dropped
        backend.body().handler(chunk -> { }).endHandler(v -> { }).resume();
        headers.clear().set(Exchange.REQUEST_ID, exchange.requestId());
        answer(exchange, filters, context, instead);
        return;
      }
      transform = filters.onResponse(context, true);
    }
    stream(exchange, call, backend, response, transform);
  }

  /** A 101 to a WebSocket handshake: the head through the filters, then the two connections spliced. */
  static void tunnel(Exchange exchange, FilterChain filters, FilterContext context, BackendResponse backend) {
    HttpServerRequest request = exchange.request();
    HttpServerResponse response = request.response();
    response.setStatusCode(101);
    MultiMap headers = response.headers();
    ProxyHeaders.toClient(backend.headers(), headers, true);
    headers.set(Exchange.REQUEST_ID, exchange.requestId());
    if (context != null) {
      context.respond(101, headers);
      filters.onResponse(context, false);
    }
    exchange.record(101);
    NetSocket backendSocket = backend.switchedConnection();
    request.resume();
    request.toNetSocket().onComplete(FailSafe.guard(request, client -> {
      if (client.failed()) {
        LOG.debug("Upgrade of {} failed: {}", exchange.host(), LogSafe.of(client.cause().getMessage()));
        backendSocket.close();
        return;
      }
      NetSocket clientSocket = client.result();
      clientSocket.pipeTo(backendSocket);
      backendSocket.pipeTo(clientSocket);
    }));
  }

  /** A filter answered: its head through the response steps of the filters before it, then its body. */
  static void answer(Exchange exchange, FilterChain filters, FilterContext context, Answer answer) {
    HttpServerRequest request = exchange.request();
    RequestReading.resumeIfOpen(request);  // the request body, if any, is read and dropped
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    if (answer.status() >= 400 && GrpcCalls.isGrpc(request)) {
      GrpcCalls.answer(request, answer.status(), "refused at the edge (HTTP " + answer.status() + ")");
      return;
    }
    response.setStatusCode(answer.status());
    String phrase = HttpResponseStatus.valueOf(answer.status()).reasonPhrase();
    if (!phrase.equals(response.getStatusMessage())) {
      response.setStatusMessage(phrase);  // not the phrase a backend's answer set before (a 304's own)
    }
    MultiMap headers = response.headers();
    headers.addAll(answer.headers());
    context.respond(answer.status(), headers);
    BodyTransform transform = filters.onResponse(context, answer.body() != null);
    if (answer.body() == null) {
      response.end();
    } else if (transform == null) {
      response.end(answer.body());
    } else {
      Buffer body = transform.apply(answer.body());
      response.end(body.length() == 0 ? transform.finish() : Buffer.buffer().appendBuffer(body)
          .appendBuffer(transform.finish()));
    }
  }

  /**
   * Streams {@code body} to the client (through {@code transform} when there is one), pausing
   * the backend while the client's connection cannot take more. (Vert.x's pipe does this too,
   * but it keeps writing to a client connection that closed, and fails; here a closed client
   * stops the backend request at once.)
   */
  private static void stream(Exchange exchange, BackendCall call, BackendResponse backend, HttpServerResponse response,
      BodyTransform transform) {
    ReadStream<Buffer> body = backend.body();
    String declared = response.headers().get(HttpHeaders.CONTENT_LENGTH);
    if (declared == null) {
      response.setChunked(true);
    }
    // The piece that completes a body of known length ends the response with it: one write and
    // flush to the client instead of two (the body's own end follows at once and finds it ended).
    // (Not where trailers may follow the body: they go out with the response's end.)
    long length = declared == null || (transform != null && !transform.watchesOnly()) || backend.mayCarryTrailers()
        ? -1 : lengthOf(declared);
    response.closeHandler(v -> {
      exchange.clientClosed();
      call.reset();
      if (transform != null) {
        transform.discard();
      }
    });
    body.exceptionHandler(e -> {
      LOG.debug("Response from the backend cut off: {}", LogSafe.of(e.getMessage()));
      response.reset();
    });
    body.endHandler(v -> {
      MultiMap trailers = backend.trailers();
      if (trailers != null && !trailers.isEmpty() && !response.closed()) {
        ProxyHeaders.trailersToClient(trailers, response.trailers());  // gRPC's status travels here
      }
      if (transform == null) {
        if (!response.ended()) {
          response.end();
        }
      } else if (!response.closed() && !response.ended()) {  // a watcher's last piece may have ended it (below)
        response.end(transform.finish());
      }
    });
    body.handler(chunk -> {
      if (response.closed()) {
        call.reset();
        return;
      }
      Buffer out = transform == null ? chunk : transform.apply(chunk);
      if (length >= 0 && response.bytesWritten() + out.length() == length) {
        if (transform != null) {
          transform.finish();  // a watcher (see length): the body is whole, and it sends nothing more
        }
        response.end(out);
        return;
      }
      if (out.length() > 0) {
        response.write(out);
      }
      if (response.writeQueueFull()) {
        body.pause();
        response.drainHandler(v -> body.resume());
      }
    });
  }

  /** A Content-Length value as a number, or -1 when it is not one (then the body's own end ends the response). */
  private static long lengthOf(String declared) {
    try {
      return Long.parseLong(declared);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
