package dev.portico.launcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP/2 client for the bad-input suite: h2c with prior knowledge over a plain socket,
 * frames written by hand, header blocks encoded by Netty's HPACK encoder with validation off, so
 * it sends what no well-behaved client would (CR, LF and NUL in names and values, upper-case
 * names, connection-specific fields, repeated or missing pseudo-headers, a content-length that
 * the DATA disagrees with). It reads back the outcome of one stream: its response, its
 * RST_STREAM, or the connection's GOAWAY. A read that takes longer than the socket timeout
 * throws {@link SocketTimeoutException}: the edge left the request hanging.
 */
final class RawH2Client implements AutoCloseable {

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;

  /** What became of one stream. */
  record Outcome(Kind kind, int status, long errorCode, String body) {

    enum Kind { RESPONSE, RESET, GOAWAY, CLOSED }

    /** A 4xx response, a stream reset or a connection error: the request was refused. */
    boolean refused() {
      return (kind == Kind.RESPONSE && status >= 400 && status < 500) || kind == Kind.RESET || kind == Kind.GOAWAY;
    }

    @Override
    public String toString() {
      return kind + (kind == Kind.RESPONSE ? " " + status + " " + body : " error " + errorCode);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final Http2HeadersEncoder encoder =
      new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private int nextStreamId = 1;

  RawH2Client(int port) throws IOException {
    this(new Socket("127.0.0.1", port));
  }

  /** Speaks HTTP/2 (prior knowledge, or after TLS with ALPN {@code h2}) on a connected socket. */
  RawH2Client(Socket connected) throws IOException {
    socket = connected;
    socket.setSoTimeout(15_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
    out.flush();
  }

  /**
   * Sends one request on a new stream: {@code fields} in order, pseudo-headers included, exactly
   * as given (Netty's header map moves pseudo-headers to the front); then {@code body} as one
   * DATA frame when not null. Returns the stream id.
   */
  int send(List<Map.Entry<String, String>> fields, byte[] body) throws IOException {
    int streamId = nextStreamId;
    nextStreamId += 2;
    Http2Headers headers = new DefaultHttp2Headers(false);
    fields.forEach(field -> headers.add(field.getKey(), field.getValue()));
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      frame(HEADERS, body == null ? END_HEADERS | END_STREAM : END_HEADERS, streamId, bytes);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
    if (body != null) {
      frame(DATA, END_STREAM, streamId, body);
    }
    out.flush();
    return streamId;
  }

  /** A GET of {@code path} on {@code authority} with the extra {@code fields}. */
  Outcome get(String authority, String path, List<Map.Entry<String, String>> fields) throws IOException {
    List<Map.Entry<String, String>> all = new java.util.ArrayList<>(List.of(Map.entry(":method", "GET"),
        Map.entry(":scheme", "http"), Map.entry(":authority", authority), Map.entry(":path", path)));
    all.addAll(fields);
    return outcome(send(all, null));
  }

  /**
   * Reads frames until the stream ends, is reset, or the connection goes away or closes (or is
   * reset); a read timeout throws.
   */
  Outcome outcome(int streamId) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      return read(streamId, body);
    } catch (EOFException | SocketException e) {
      return new Outcome(Outcome.Kind.CLOSED, -1, -1, body.toString(StandardCharsets.UTF_8));
    }
  }

  private Outcome read(int streamId, ByteArrayOutputStream body) throws IOException {
    int status = -1;
    ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    while (true) {
      int length = (in.readUnsignedShort() << 8) | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      switch (type) {
        case SETTINGS -> {
          if ((flags & ACK) == 0) {
            frame(SETTINGS, ACK, 0, new byte[0]);
            out.flush();
          }
        }
        case PING -> {
          if ((flags & ACK) == 0) {
            frame(PING, ACK, 0, payload);
            out.flush();
          }
        }
        case GOAWAY -> {
          long error = ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8)
              | (payload[7] & 0xff);
          return new Outcome(Outcome.Kind.GOAWAY, status, error, body.toString(StandardCharsets.UTF_8));
        }
        case RST_STREAM -> {
          if (stream == streamId) {
            long error = ((payload[0] & 0xffL) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                | (payload[3] & 0xff);
            return new Outcome(Outcome.Kind.RESET, status, error, body.toString(StandardCharsets.UTF_8));
          }
        }
        case HEADERS, CONTINUATION -> {
          if (stream == streamId) {
            headerBlock.write(payload, headerPayloadStart(type, flags, payload), headerPayloadLength(type, flags, payload));
            if ((flags & END_HEADERS) != 0) {
              if (status < 0) {
                status = decodeStatus(streamId, headerBlock.toByteArray());
              }
              headerBlock.reset();
            }
            if ((flags & END_STREAM) != 0) {
              return new Outcome(Outcome.Kind.RESPONSE, status, -1, body.toString(StandardCharsets.UTF_8));
            }
          }
        }
        case DATA -> {
          if (stream == streamId) {
            int padding = (flags & 0x8) != 0 ? payload[0] & 0xff : 0;
            int start = (flags & 0x8) != 0 ? 1 : 0;
            body.write(payload, start, payload.length - start - padding);
            if ((flags & END_STREAM) != 0) {
              return new Outcome(Outcome.Kind.RESPONSE, status, -1, body.toString(StandardCharsets.UTF_8));
            }
          }
        }
        default -> {
          // WINDOW_UPDATE, PRIORITY, other streams' frames: nothing to do
        }
      }
    }
  }

  private static int headerPayloadStart(int type, int flags, byte[] payload) {
    if (type != HEADERS) {
      return 0;
    }
    return ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0);
  }

  private static int headerPayloadLength(int type, int flags, byte[] payload) {
    int padding = type == HEADERS && (flags & 0x8) != 0 ? payload[0] & 0xff : 0;
    return payload.length - headerPayloadStart(type, flags, payload) - padding;
  }

  private int decodeStatus(int streamId, byte[] block) throws IOException {
    ByteBuf buffer = Unpooled.wrappedBuffer(block);
    try {
      CharSequence status = decoder.decodeHeaders(streamId, buffer).status();
      return status == null ? -1 : Integer.parseInt(status.toString());
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      buffer.release();
    }
  }

  private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    int length = payload.length;
    out.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
        (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId});
    out.write(payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
