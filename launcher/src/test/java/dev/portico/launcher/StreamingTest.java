package dev.portico.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large bodies stream through the edge both ways, intact, and with back-pressure: a slow reader
 * holds back the writer on the other side instead of the edge buffering the body.
 */
class StreamingTest {

  private static final int SIZE = 64 * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  private static Harness harness;
  private static final AtomicLong downloadWritten = new AtomicLong();

  @BeforeAll
  static void start() throws IOException {
    harness = new Harness();
    harness.putSite("upload.example.com", harness.backend(request -> {
      // a slow consumer: reads nothing for 1.5 s, then hashes everything
      request.pause();
      MessageDigest digest = sha256();
      AtomicLong received = new AtomicLong();
      request.handler(chunk -> {
        digest.update(chunk.getBytes());
        received.addAndGet(chunk.length());
      });
      request.endHandler(v -> request.response().end(received.get() + " " + HexFormat.of().formatHex(digest.digest())));
      harness.testVertx.setTimer(1500, t -> request.resume());
    }));
    harness.putSite("download.example.com", harness.backend(request -> {
      HttpServerResponse response = request.response().putHeader("Content-Length", Integer.toString(SIZE));
      writeBody(response, 0);
    }));
    Harness.waitFor(() -> harness.get("download.example.com", "/").statusCode() == 200, 5000);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** Writes the body as fast as the connection takes it, counting what was handed over. */
  private static void writeBody(HttpServerResponse response, int offset) {
    int position = offset;
    while (position < SIZE && !response.writeQueueFull()) {
      int length = Math.min(CHUNK, SIZE - position);
      response.write(Buffer.buffer(chunk(position, length)));
      position += length;
      downloadWritten.set(position);
    }
    if (position == SIZE) {
      response.end();
    } else {
      int next = position;
      response.drainHandler(v -> writeBody(response, next));
    }
  }

  private static byte[] chunk(long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((offset + i) * 31 + 7);
    }
    return bytes;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String expectedDigest() {
    MessageDigest digest = sha256();
    for (int position = 0; position < SIZE; position += CHUNK) {
      digest.update(chunk(position, Math.min(CHUNK, SIZE - position)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Test
  void uploadStreamsIntactWithBackPressure() {
    AtomicLong sent = new AtomicLong();
    AtomicLong sentWhenBackendStartedReading = new AtomicLong(-1);
    InputStream body = new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] buffer, int off, int len) {
        long position = sent.get();
        if (position >= SIZE) {
          return -1;
        }
        int n = (int) Math.min(len, SIZE - position);
        System.arraycopy(chunk(position, n), 0, buffer, off, n);
        sent.addAndGet(n);
        return n;
      }
    };
    long started = System.nanoTime();
    harness.testVertx.setTimer(1400, t -> sentWhenBackendStartedReading.set(sent.get()));
    HttpResponse<String> response = harness.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + harness.httpPort() + "/upload"))
        .header("Host", "upload.example.com")
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE))
        .build());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(SIZE + " " + expectedDigest(), response.body());
    long stalled = sentWhenBackendStartedReading.get();
    System.out.printf("upload: %d of %d bytes sent while the backend read nothing; total %d ms%n", stalled, SIZE,
        (System.nanoTime() - started) / 1_000_000);
    assertTrue(stalled >= 0 && stalled < SIZE / 2, "the edge took " + stalled + " bytes the backend did not read");
  }

  @Test
  void downloadStreamsIntactWithBackPressure() throws Exception {
    downloadWritten.set(0);
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(64 * 1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", harness.httpPort()));
      OutputStream out = socket.getOutputStream();
      out.write("GET /big HTTP/1.1\r\nHost: download.example.com\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(1500);                                   // a slow reader
      long writtenWhileStalled = downloadWritten.get();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertTrue(head.toLowerCase().contains("content-length: " + SIZE), head);
      MessageDigest digest = sha256();
      byte[] buffer = new byte[CHUNK];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; total += n) {
        digest.update(buffer, 0, n);
      }
      assertEquals(SIZE, total);
      assertEquals(expectedDigest(), HexFormat.of().formatHex(digest.digest()));
      System.out.printf("download: backend had written %d of %d bytes while the client read nothing%n",
          writtenWhileStalled, SIZE);
      assertTrue(writtenWhileStalled < SIZE / 2, "the edge took " + writtenWhileStalled + " bytes nobody read");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }
}
