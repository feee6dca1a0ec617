package dev.portico.edge.policy;

import dev.portico.edge.pipeline.BodyTransform;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compression as a body filter: the head it sets, and the bytes it makes (like Zuul's GZipResponseFilter test). */
class CompressionFilterTest {

  private static final String TEXT = "Portico compresses what it can. ".repeat(200);

  private static MultiMap textHead() {
    return HttpHeaders.headers().add("Content-Type", "text/html; charset=utf-8")
        .add("Content-Length", Integer.toString(TEXT.length())).add("ETag", "\"v1\"");
  }

  @Test
  void aTextBodyIsGzippedInPiecesAndItsHeadSaysSo() throws IOException {
    MultiMap head = textHead();
    BodyTransform gzip = CompressionFilter.INSTANCE.onResponseBody(
        Requests.get("/").header("Accept-Encoding", "gzip").responding(200, head));
    assertNotNull(gzip);
    assertEquals("gzip", head.get("Content-Encoding"));
    assertNull(head.get("Content-Length"));
    assertTrue("Accept-Encoding".equalsIgnoreCase(head.get("Vary")), head.get("Vary"));
    assertEquals("W/\"v1\"", head.get("ETag"), "the bytes differ from the backend's: the tag is weak");
    Buffer out = Buffer.buffer();
    int half = TEXT.length() / 2;
    out.appendBuffer(gzip.apply(Buffer.buffer(TEXT.substring(0, half))));
    out.appendBuffer(gzip.apply(Buffer.buffer(TEXT.substring(half))));
    out.appendBuffer(gzip.finish());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.getBytes()))) {
      assertEquals(TEXT, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aClientThatTakesNoEncodingGetsTheBodyAsItIsButTheVaryAnyway() {
    MultiMap head = textHead().add("Vary", "Cookie");
    assertNull(CompressionFilter.INSTANCE.onResponseBody(Requests.get("/").responding(200, head)));
    assertEquals("Cookie, Accept-Encoding", head.get("Vary"));
    assertEquals(Integer.toString(TEXT.length()), head.get("Content-Length"));
    assertFalse(head.contains("Content-Encoding"));
  }

  @Test
  void whatIsNotWorthItIsLeftAlone() {
    Requests gzip = Requests.get("/").header("Accept-Encoding", "gzip");
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.method(HttpMethod.HEAD).responding(200, textHead())));
    gzip.method(HttpMethod.GET);
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.responding(304, textHead())));
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.responding(206, textHead())));
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.responding(200,
        HttpHeaders.headers().add("Content-Type", "text/plain").add("Content-Length", "100"))));
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.responding(200,
        HttpHeaders.headers().add("Content-Type", "image/png"))));
    MultiMap encoded = textHead().add("Content-Encoding", "br");
    assertNull(CompressionFilter.INSTANCE.onResponseBody(gzip.responding(200, encoded)));
    assertEquals("br", encoded.get("Content-Encoding"));
  }
}
