package dev.portico.admin.console;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer of the admin port carries, the console's pages and the API's JSON alike:
 * a Content-Security-Policy that allows scripts, styles, images and API calls from this origin
 * only (no inline script or style, no eval, no plug-ins, no framing, no form posts elsewhere),
 * and the older clickjacking, sniffing and referrer headers for browsers that predate CSP 2.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
      "connect-src 'self'", "manifest-src 'self'", "base-uri 'none'", "form-action 'self'",
      "frame-ancestors 'none'");

  @Override
  public void handle(RoutingContext context) {
    context.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin");
    context.next();
  }
}
