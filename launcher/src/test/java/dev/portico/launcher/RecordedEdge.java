package dev.portico.launcher;

import java.io.IOException;

/**
 * One edge node whose site {@code host} targets one {@link RecordingBackend}: the fixture of the
 * request-head bad-input tests, which assert what that backend received.
 */
final class RecordedEdge implements AutoCloseable {

  final Harness harness;
  final RecordingBackend backend;

  RecordedEdge(String host) throws IOException {
    harness = new Harness();
    backend = new RecordingBackend(harness.testVertx);
    harness.putSite(host, backend.port());
  }

  @Override
  public void close() {
    backend.close();
    harness.close();
  }
}
