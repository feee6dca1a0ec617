package dev.portico.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
  @RegisterExtension
  static final RecordedEdge edge = new RecordedEdge("plain.sso-input.test");

  @BeforeAll
  static void start() throws IOException {
    edge.harness.putSite(SITE, "{\"targets\":[\"127.0.0.1:" + edge.backend.port() + "\"],"
        + "\"sso\":{\"provider\":\"corp\",\"claimHeaders\":{\"email\":\"X-User-Email\"}},"
        + "\"routes\":[{\"prefix\":\"/public/\",\"sso\":null}]}");
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

  @Test
  void signingOutTakesAPostFromTheSiteItself() throws IOException {
    edge.backend.clear();
    String page = BadInputFramingTest.exchangeOn(edge.harness, "GET /.portico/auth/logout HTTP/1.1\r\nHost: " + SITE
        + "\r\nCookie: portico_sso=" + "A".repeat(43) + "\r\nConnection: close\r\n\r\n");
    assertTrue(page.startsWith("HTTP/1.1 200"), page);
    assertTrue(page.contains("<form method=\"post\" action=\"/.portico/auth/logout\">"), page);
    assertTrue(page.contains("Content-Security-Policy: default-src 'none'; form-action 'self'"), page);
    assertFalse(page.contains("Set-Cookie") || page.contains("<script"), "a GET ends nothing: " + page);
    for (String crossSite : new String[] {"Origin: https://evil.test\r\n", "Origin: null\r\n",
        "Sec-Fetch-Site: same-site\r\n", "Sec-Fetch-Site: cross-site\r\nOrigin: http://" + SITE + "\r\n"}) {
      String refused = BadInputFramingTest.exchangeOn(edge.harness, "POST /.portico/auth/logout HTTP/1.1\r\nHost: " + SITE
          + "\r\n" + crossSite + "Cookie: portico_sso=" + "A".repeat(43) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      assertTrue(refused.startsWith("HTTP/1.1 403"), crossSite + refused);
      assertFalse(refused.contains("Set-Cookie"), refused);
    }
    assertEquals(0, edge.backend.requests().size(), edge.backend.raw());
  }
}
