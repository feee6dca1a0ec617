package dev.portico.edge.sso;

import dev.portico.edge.pipeline.Answer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * The pages a visitor sees when signing in does not work: short HTML saying what happened and
 * what to do, never cached, with nothing active in them (every text escaped; a CSP allowing nothing).
 */
public final class SsoPages {

  private SsoPages() {
  }

  /** A page with {@code status}, a {@code title} and a {@code detail}; {@code signOut}: offers to sign out. */
  public static Answer page(int status, String title, String detail, boolean signOut) {
    String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(detail) + "</p>"
        + (signOut ? "<p><a href=\"" + SsoPaths.LOGOUT + "\">Sign out</a> to use another account.</p>" : "")
        + "</body></html>\n";
    return noStore(new Answer(status, Buffer.buffer(html)).header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .header("Content-Security-Policy", "default-src 'none'"));
  }

  /** A redirect to {@code location}. */
  static Answer redirect(String location) {
    return noStore(new Answer(302, null).header(HttpHeaders.LOCATION, location));
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
