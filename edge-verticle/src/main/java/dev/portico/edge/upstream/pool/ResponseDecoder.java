package dev.portico.edge.upstream.pool;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.nio.charset.StandardCharsets;

/**
 * Reads a backend's responses on one {@link PooledConnection}, knowing which request each one
 * answers from the connection's current call. (Netty's {@code HttpClientCodec} pairs them through
 * a queue of methods that an interim 1xx answer consumes too: the final answer to a HEAD after a
 * 103 was then read as having a body.)
 */
final class ResponseDecoder extends HttpResponseDecoder {

  /**
   * Response heads (and trailers) are read into Vert.x's own header map, without validation (see
   * {@link TargetPool}): the relay copies from it to the client's response without an adaptor or a
   * String copy per field, it is cheaper to fill than Netty's default map, and an empty one (the
   * trailers of nearly every response) costs one small object.
   */
  static final HttpHeadersFactory HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return HeadersMultiMap.httpHeaders(null);
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return HeadersMultiMap.httpHeaders(null);
    }
  };

  private final PooledConnection connection;

  ResponseDecoder(HttpDecoderConfig config, PooledConnection connection) {
    super(config);
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    connection.spoke();
    super.channelRead(ctx, msg);
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    // no answer to a HEAD has a body, whatever its framing fields say (RFC 9112 6.3)
    return connection.answersHead() || super.isContentAlwaysEmpty(message);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // Netty drops the length for HTTP/1.1 only; PooledConnection handles every version alike
  }

  @Override
  protected AsciiString splitHeaderName(byte[] line, int start, int length) {
    AsciiString known = KnownResponseText.fieldName(line, start, length);
    return known != null ? known : super.splitHeaderName(line, start, length);
  }

  @Override
  protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
    return lineWord(line, start, length);
  }

  @Override
  protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
    return lineWord(line, start, length);
  }

  @Override
  protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
    return lineWord(line, start, length);
  }

  /** A word of the status line: the shared one, else its bytes as Latin-1 text (as Netty reads them). */
  private static String lineWord(byte[] line, int start, int length) {
    String known = KnownResponseText.lineWord(line, start, length);
    return known != null ? known : new String(line, start, length, StandardCharsets.ISO_8859_1);
  }

  /** Whether bytes past the last whole message wait here (a response's start, say). */
  boolean holdsBytes() {
    return actualReadableBytes() > 0;
  }
}
