package dev.portico.launcher;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PORTICO_MAX_CONNECTIONS_PER_ADDRESS}: a client that
 * goes away while the edge is not reading from it (its upload waits on a backend that reads
 * nothing, so the edge has paused the connection) leaves the count at once, and its address is
 * served again up to the cap; were the reset missed, the slot would stay counted until a timeout.
 */
class ConnectionCapReleaseTest {

  private static final int CAP = 2;
  private static final long LENGTH = 1L << 30;

  // epoll only: io_uring (Netty 4.2.18) and NIO watch a socket only while reading from it, so a
  // reset of a paused connection goes unnoticed there until a timeout; this keeps epoll the default
  @ParameterizedTest
  @ValueSource(strings = {"epoll"})
  void clientsThatAbortPausedUploadsFreeTheirSlots(String transport) throws Exception {
    try (Harness node = new Harness(Map.of("PORTICO_TRANSPORT", transport,
        "PORTICO_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(CAP),
        "PORTICO_MAX_BODY_BYTES", Long.toString(LENGTH)))) {
      node.putSite("stalled.test", node.backend(request -> request.pause()));
      node.putSite("served.test", node.namedBackend("served"));
      InetSocketAddress edge = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.httpPort());
      InetAddress client = InetAddress.getByName("127.0.0.4");
      // each round holds the address's whole cap: a slot of an earlier round still counted refuses one
      for (int round = 0; round < 3; round++) {
        Harness.waitFor(() -> servedFrom(client, edge), 10_000);
        SocketChannel[] uploads = new SocketChannel[CAP];
        for (int i = 0; i < CAP; i++) {
          uploads[i] = stalledUpload(client, edge);
        }
        for (SocketChannel upload : uploads) {
          upload.setOption(StandardSocketOptions.SO_LINGER, 0);  // a reset, as a client that gives up
          upload.close();
        }
      }
      Harness.waitFor(() -> servedFrom(client, edge), 10_000);
    }
  }

  /**
   * A connection from {@code client} uploading to stalled.test, written to until the edge stops
   * reading from it: the kernel's buffers between the client and the backend are full.
   */
  private static SocketChannel stalledUpload(InetAddress client, InetSocketAddress edge) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.bind(new InetSocketAddress(client, 0));
    channel.connect(edge);
    channel.write(ByteBuffer.wrap(("POST /upload HTTP/1.1\r\nHost: stalled.test\r\nContent-Length: " + LENGTH
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    channel.configureBlocking(false);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    long written = 0;
    int stuck = 0;
    while (stuck < 3) {  // nothing taken in three tries 100 ms apart
      chunk.clear();
      int n = channel.write(chunk);
      written += n;
      assertTrue(written < LENGTH / 2, "the edge read " + written + " bytes of a body its backend never reads");
      stuck = n == 0 ? stuck + 1 : 0;
      if (n == 0) {
        Harness.sleep(100);
      }
    }
    return channel;
  }

  /** Whether a request from {@code client} gets the served.test backend's answer (not a refusal). */
  private static boolean servedFrom(InetAddress client, InetSocketAddress edge) {
    try (java.net.Socket socket = new java.net.Socket(edge.getAddress(), edge.getPort(), client, 0)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /again HTTP/1.1\r\nHost: served.test\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      return BadInputLimitsTest.readAll(socket.getInputStream()).startsWith("HTTP/1.1 200 ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
