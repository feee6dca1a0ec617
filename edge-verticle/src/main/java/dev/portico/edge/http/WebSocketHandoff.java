package dev.portico.edge.http;

import dev.portico.edge.LogSafe;
import dev.portico.edge.observe.Exchange;
import dev.portico.edge.upstream.BackendCall;
import dev.portico.edge.upstream.BackendResponse;
import dev.portico.edge.upstream.Upstream;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of {@link Forwarding}'s walk for a WebSocket handshake: the handshake goes to the
 * backend, a {@code 101} that switches to WebSocket splices the two connections
 * ({@link Relay#tunnel}), any other answer is relayed as a response. Apart from the walk because
 * a handshake ends differently from a request with a body: no body limit, no stale answer from a
 * filter, and a protocol switch is checked before anything is spliced. Static: nothing here is
 * made per request.
 */
final class WebSocketHandoff {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandoff.class);

  private WebSocketHandoff() {
  }

  /** Sends the handshake on {@code call}, to {@code upstream}, and hands its answer on. */
  static void tunnel(Passage passage, BackendCall call, Upstream upstream) {
    Exchange exchange = passage.exchange();
    HttpServerRequest request = passage.request();
    call.upgrade().onComplete(FailSafe.guard(request, ar -> {
      if (ar.failed()) {
        upstream.brokeOff();
        Replies.backendFailed(request, exchange.host(), exchange.target(), ar.cause());
        return;
      }
      exchange.backendResponded();
      BackendResponse response = ar.result();
      Forwarding.answered(passage, upstream, response);
      if (response.status() != 101) {
        request.resume();
        Relay.respond(exchange, passage.route().filters(), passage.filters(), call, response);
      } else if (!"websocket".equalsIgnoreCase(response.headers().get("Upgrade"))) {
        // a tunnel is spliced only for what was asked: a WebSocket, not whatever the backend names
        LOG.warn("502 for {}: backend {} answered a WebSocket upgrade with Upgrade: {}", exchange.host(),
            exchange.target(), LogSafe.of(response.headers().get("Upgrade")));
        call.reset();
        Replies.error(request, 502, "bad backend answer", "The backend switched to another protocol than WebSocket");
      } else {
        Relay.tunnel(exchange, passage.route().filters(), passage.filters(), response);
      }
    }));
  }
}
