package dev.portico.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A certificate that takes long to parse (here a chain of many thousand certificates) delays its
 * own handshake only: the edge parses certificates off its event loop, so the requests of every
 * other site on the same edge instance are answered meanwhile.
 */
class SlowCertificateTest {

  /** Copies of the leaf after it: parsing them takes the edge a good fraction of a second. */
  private static final int PADDING_CERTIFICATES = 5_000;
  /** Requests one after another that must all be answered while the handshake still waits. */
  private static final int REQUESTS = 20;

  @Test
  void requestsAreAnsweredWhileACertificateIsBeingParsed() throws Exception {
    try (Harness harness = new Harness()) {
      harness.putSite("plain.test", harness.namedBackend("plain"));
      assertEquals(200, harness.get("plain.test", "/").statusCode());
      JsonObject stored = new JsonObject(TestCertificates.stored("big.tls.test"));
      String leaf = stored.getString("certificatePem");
      stored.put("certificatePem", leaf.repeat(1 + PADDING_CERTIFICATES));
      Harness.await(harness.redisApi.set(List.of("portico:cert:big.tls.test", stored.encode())));

      long mgetsBefore = mgetCalls(harness);
      CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
        try (SSLSocket socket = TlsClient.connect(harness.httpsPort(), "big.tls.test")) {
          socket.getSession();
        } catch (IOException refused) {
          // the JDK refuses a chain this long; what counts here is only when the handshake ends
        }
      });
      // the edge has asked Redis for the certificate: from now on it reads and parses it
      Harness.waitFor(() -> mgetCalls(harness) > mgetsBefore, 10_000);
      int answered = 0;
      while (!handshake.isDone() && answered < REQUESTS) {
        assertEquals(200, harness.get("plain.test", "/").statusCode());
        answered++;
      }
      assertEquals(REQUESTS, answered, "requests answered while the certificate was being parsed");
      handshake.get(60, TimeUnit.SECONDS);
    }
  }

  private static long mgetCalls(Harness harness) {
    String info = Harness.await(harness.redisApi.info(List.of("commandstats"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_mget:calls=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
      }
    }
    return 0;
  }
}
