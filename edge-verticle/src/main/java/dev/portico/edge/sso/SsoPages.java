package dev.portico.edge.sso;

import dev.portico.edge.pipeline.Answer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * The pages a visitor sees when signing in does not work: short HTML saying what happened and
 * what to do, never cached, with nothing active in them (every text escaped; a CSP allowing
 * nothing but a form posting back to the site, and no framing). Signing out is a form's POST to
 * {@link SsoPaths#LOGOUT}, never a link: a GET cannot end a session (no sign-out by a cross-site image).
 */
public final class SsoPages {

  static final String CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final String SIGN_OUT_FORM = "<form method=\"post\" action=\"" + SsoPaths.LOGOUT
      + "\"><button type=\"submit\">Sign out</button></form>";

  private SsoPages() {
  }

  /** A page with {@code status}, a {@code title} and a {@code detail}; {@code signOut}: offers to sign out. */
  public static Answer page(int status, String title, String detail, boolean signOut) {
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(detail) + "</p>"
        + (signOut ? SIGN_OUT_FORM : "")
        + "</body></html>\n";
    return noStore(new Answer(status, Buffer.buffer(html)).header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY"));
  }

  /** What a GET of {@link SsoPaths#LOGOUT} shows on {@code host}: a button that signs out (a POST). */
  static Answer signOutPage(String host) {
    return page(200, "Sign out", "Sign out of " + host + "?", true);
  }

  /** A redirect to {@code location}. */
  static Answer redirect(String location) {
    return redirect(302, location);
  }

  /** A redirect with {@code status} (303: after a POST) to {@code location}. */
  static Answer redirect(int status, String location) {
    return noStore(new Answer(status, null).header(HttpHeaders.LOCATION, location));
  }

  private static Answer noStore(Answer answer) {
    return answer.header(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 ? ' ' : c);
      }
    }
    return out.toString();
  }
}
