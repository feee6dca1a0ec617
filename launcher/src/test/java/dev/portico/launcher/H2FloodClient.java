package dev.portico.launcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/2 client for abuse tests: h2c with prior knowledge on a plain socket, frames written
 * by hand (HPACK by Netty's encoder), so it can do what no well-behaved client library does —
 * open more streams than the server allows, reset streams as fast as it opens them. A reader
 * thread records what the server sends: its SETTINGS, RST_STREAM per stream, GOAWAY, the end.
 */
final class H2FloodClient implements AutoCloseable {

  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int ACK = 0x1;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  static final int REFUSED_STREAM = 0x7;
  static final int CANCEL = 0x8;
  static final int ENHANCE_YOUR_CALM = 0xb;

  private final Socket socket;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final Thread reader;
  /** The server's SETTINGS, by identifier. */
  final Map<Integer, Long> serverSettings = new ConcurrentHashMap<>();
  /** RST_STREAM error codes the server sent, by stream. */
  final Map<Integer, Integer> resets = new ConcurrentHashMap<>();
  /** Streams the server sent a HEADERS frame on (a response started). */
  final Map<Integer, Boolean> responses = new ConcurrentHashMap<>();
  final CountDownLatch settingsReceived = new CountDownLatch(1);
  final CountDownLatch closed = new CountDownLatch(1);
  /** The GOAWAY error code, or -1. */
  volatile int goAwayError = -1;

  H2FloodClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    frame(SETTINGS, 0, 0, new byte[0]);
    out.flush();
    reader = new Thread(this::read, "h2-flood-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens stream {@code streamId} with a GET for {@code host}{@code path}; ends it if {@code end}. */
  void get(int streamId, String host, String path, boolean end) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").authority(host).path(path);
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
    } catch (Http2Exception e) {
      throw new IOException(e);
    }
    byte[] bytes = new byte[block.readableBytes()];
    block.readBytes(bytes);
    block.release();
    frame(HEADERS, END_HEADERS | (end ? END_STREAM : 0), streamId, bytes);
  }

  /** Ends stream {@code streamId} with an empty DATA frame. */
  void endStream(int streamId) throws IOException {
    frame(DATA, END_STREAM, streamId, new byte[0]);
  }

  void reset(int streamId, int errorCode) throws IOException {
    frame(RST_STREAM, 0, streamId, int32(errorCode));
  }

  void flush() throws IOException {
    out.flush();
  }

  boolean awaitClosed(long timeoutMs) throws InterruptedException {
    return closed.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private synchronized void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8),
        (byte) streamId};
    out.write(head);
    out.write(payload);
  }

  private static byte[] int32(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int streamId = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        DataInputStream body = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        switch (type) {
          case SETTINGS -> {
            if ((flags & ACK) == 0) {
              for (int i = 0; i + 6 <= length; i += 6) {
                serverSettings.put(body.readUnsignedShort(), body.readInt() & 0xffffffffL);
              }
              frame(SETTINGS, ACK, 0, new byte[0]);
              out.flush();
              settingsReceived.countDown();
            }
          }
          case PING -> {
            if ((flags & ACK) == 0) {
              frame(PING, ACK, 0, payload);
              out.flush();
            }
          }
          case RST_STREAM -> resets.put(streamId, body.readInt());
          case HEADERS -> responses.put(streamId, true);
          case GOAWAY -> {
            body.readInt();  // last stream id
            goAwayError = body.readInt();
          }
          case DATA -> { }
          default -> { }
        }
      }
    } catch (EOFException | java.net.SocketException end) {
      // the server closed the connection
    } catch (IOException e) {
      // read timeout or other failure: counts as the end too
    } finally {
      closed.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
