package dev.portico.launcher;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on 127.0.0.1 whose health can be switched: it answers {@code /health} with 200 or
 * 503, and every other path with its name and {@link #status}; it counts both kinds of request.
 */
final class SwitchableBackend {

  final String name;
  final int port;
  final AtomicInteger healthChecks = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  volatile boolean healthy = true;
  volatile int status = 200;

  SwitchableBackend(Harness harness, String name) {
    this.name = name;
    this.port = harness.backend(request -> {
      if (request.path().equals("/health")) {
        healthChecks.incrementAndGet();
        request.response().setStatusCode(healthy ? 200 : 503).end(healthy ? "ok" : "sick");
      } else {
        requests.incrementAndGet();
        request.response().setStatusCode(status).end(name);
      }
    });
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** Broken as a dead service looks to its clients: failing checks and failing requests. */
  void breakDown() {
    healthy = false;
    status = 500;
  }

  void recover() {
    status = 200;
    healthy = true;
  }
}
