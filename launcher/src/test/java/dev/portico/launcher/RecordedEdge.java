package dev.portico.launcher;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One edge node whose site {@code host} targets one {@link RecordingBackend}: the fixture of the
 * request-head bad-input tests, which assert what that backend received. Registered on a static
 * field ({@code @RegisterExtension}), it starts before the class's tests, forgets what the backend
 * received before each test, and stops after the class.
 */
final class RecordedEdge implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final String host;
  Harness harness;
  RecordingBackend backend;

  RecordedEdge(String host) {
    this.host = host;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    harness = new Harness();
    backend = new RecordingBackend(harness.testVertx);
    harness.putSite(host, backend.port());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    backend.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (backend != null) {
      backend.close();
    }
    if (harness != null) {
      harness.close();
    }
  }
}
