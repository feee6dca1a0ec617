package dev.portico.edge.policy;

import dev.portico.edge.pipeline.BodyTransform;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.BrotliEncoder;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.ZstdEncoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Compression of backend responses: the encoding chosen from the client's {@code Accept-Encoding}
 * by its q-values, preferring zstd, then br, then gzip among equals (Netty's own negotiation
 * gets q-value cases wrong, so Portico chooses); only for compressible media types, bodies of at
 * least {@link #MIN_LENGTH} bytes (or of unknown length), never on top of an existing
 * {@code Content-Encoding}, never for HEAD, 1xx, 204 or 304. The encoders are Netty's, run in an
 * {@link EmbeddedChannel} per response. (A 206 is a byte range of the identity body: left alone.)
 */
final class ResponseCompression {

  /** Smaller bodies gain too little to pay for the encoder. */
  static final int MIN_LENGTH = 1024;

  enum Encoding {
    ZSTD("zstd", () -> new ZstdEncoder(3)),
    BR("br", () -> new BrotliEncoder(StandardCompressionOptions.brotli())),
    GZIP("gzip", () -> ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, 6));

    final String token;
    private final Supplier<ChannelHandler> encoder;

    Encoding(String token, Supplier<ChannelHandler> encoder) {
      this.token = token;
      this.encoder = encoder;
    }
  }

  private ResponseCompression() {
  }

  /**
   * The encoding to use for {@code acceptEncoding}, or {@code null} for none: the highest
   * q-value wins, ties go to zstd, br, gzip in that order; {@code *} stands for any encoding not
   * listed; {@code q=0} refuses.
   */
  static Encoding negotiate(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isEmpty()) {
      return null;
    }
    double[] quality = {-1, -1, -1};
    double wildcard = -1;
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim();
        if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
          try {
            q = Double.parseDouble(parameter.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (coding.equals("*")) {
        wildcard = q;
      }
      for (Encoding encoding : Encoding.values()) {
        if (encoding.token.equals(coding) || (encoding == Encoding.GZIP && coding.equals("x-gzip"))) {
          quality[encoding.ordinal()] = Math.max(quality[encoding.ordinal()], q);
        }
      }
    }
    Encoding best = null;
    double bestQuality = 0;
    for (Encoding encoding : Encoding.values()) {
      double q = quality[encoding.ordinal()] >= 0 ? quality[encoding.ordinal()] : wildcard;
      if (q > bestQuality) {
        best = encoding;
        bestQuality = q;
      }
    }
    return best;
  }

  /** Whether a response with these headers is worth compressing at all (before looking at the client). */
  static boolean compressible(boolean head, int status, MultiMap headers) {
    if (head || status < 200 || status == 204 || status == 206 || status == 304
        || headers.contains(HttpHeaders.CONTENT_ENCODING)) {
      return false;
    }
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) < MIN_LENGTH) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return compressibleType(headers.get(HttpHeaders.CONTENT_TYPE));
  }

  static boolean compressibleType(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon).trim();
    }
    return type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml")
        || switch (type) {
          case "application/json", "application/javascript", "application/xml", "application/wasm",
               "application/x-javascript", "application/ld+json", "image/svg+xml", "image/x-icon",
               "application/vnd.ms-fontobject", "font/ttf", "font/otf" -> true;
          default -> false;
        };
  }

  /** One response's encoder: chunks in, compressed bytes out. */
  static final class Compressor implements BodyTransform {

    private final EmbeddedChannel channel;

    Compressor(Encoding encoding) {
      this.channel = new EmbeddedChannel(encoding.encoder.get());
    }

    /** The compressed bytes for {@code chunk} so far (may be empty: the encoder buffers). */
    @Override
    public Buffer apply(Buffer chunk) {
      channel.writeOutbound(((BufferInternal) chunk).getByteBuf().retainedDuplicate());
      return drain();
    }

    /** The rest of the compressed stream; the compressor is done after this. */
    @Override
    public Buffer finish() {
      channel.finish();
      return drain();
    }

    /** Frees the encoder's buffers when the response is cut off. */
    @Override
    public void discard() {
      channel.finishAndReleaseAll();
    }

    private Buffer drain() {
      Buffer out = Buffer.buffer();
      ByteBuf piece;
      while ((piece = channel.readOutbound()) != null) {
        try {
          out.appendBytes(io.netty.buffer.ByteBufUtil.getBytes(piece));
        } finally {
          piece.release();
        }
      }
      return out;
    }
  }
}
