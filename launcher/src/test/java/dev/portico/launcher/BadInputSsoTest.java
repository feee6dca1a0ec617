package dev.portico.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A site behind single sign-on hands its backend an identity in headers: no client may send one
 * itself, on any path of that site — a public route included — and the edge's own cookies never
 * reach a backend, whose owner could replay them.
 */
class BadInputSsoTest {

  private static final String SITE = "public.sso-input.test";
  private static RecordedEdge edge;

  @BeforeAll
  static void start() throws IOException {
    edge = new RecordedEdge("plain.sso-input.test");
    edge.harness.putSite(SITE, "{\"targets\":[\"127.0.0.1:" + edge.backend.port() + "\"],"
        + "\"sso\":{\"provider\":\"corp\",\"claimHeaders\":{\"email\":\"X-User-Email\"}},"
        + "\"routes\":[{\"prefix\":\"/public/\",\"sso\":null}]}");
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  @Test
  void aPublicRouteOfAnSsoSitePassesNoForgedIdentityNorTheEdgesCookies() throws IOException {
    String response = BadInputFramingTest.exchangeOn(edge.harness, "GET /public/page HTTP/1.1\r\nHost: " + SITE + "\r\n"
        + "X-Portico-User: admin\r\nX-Portico-Email: admin@corp.test\r\nX-Portico-Groups: admins\r\n"
        + "X-User-Email: boss@corp.test\r\nCookie: portico_sso=stolen-session; theme=dark\r\n"
        + "Cookie: portico_sso_state=stolen-state\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertEquals(1, edge.backend.requests().size(), edge.backend.raw());
    String received = edge.backend.raw();
    for (String forged : new String[] {"X-Portico-User", "X-Portico-Email", "X-Portico-Groups", "boss@corp.test",
        "portico_sso", "stolen"}) {
      assertFalse(received.contains(forged), "the backend received " + forged + ": " + received);
    }
    assertTrue(received.contains("theme=dark"), received);
  }
}
