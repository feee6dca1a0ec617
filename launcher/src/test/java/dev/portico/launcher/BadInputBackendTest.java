package dev.portico.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a hostile backend answers never frames the client's connection: the edge frames every
 * response itself, so bytes a backend smuggles into a body cannot become a second response on a
 * connection a front proxy might share between users.
 */
class BadInputBackendTest {

  @RegisterExtension
  static final RecordedEdge edge = new RecordedEdge("backend-framing.test");

  @Test
  void anHttp10AnswerFramedByBothChunkedAndALengthIsA502AndNothingOfItReachesTheClient() throws IOException {
    String forged = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged";
    String body = "12345" + forged;
    var server = Harness.await(edge.harness.testVertx.createNetServer().connectHandler(socket -> socket.handler(bytes ->
        socket.write("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
            + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"))).listen(0, "127.0.0.1"));
    try {
      edge.harness.putSite("double-framed.backend.test", server.actualPort());
      // two requests on one client connection: the second must get its own answer, not the forged one
      String request = "GET / HTTP/1.1\r\nHost: double-framed.backend.test\r\n\r\n";
      String response = BadInputFramingTest.exchangeOn(edge.harness,
          request + request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
      // Transfer-Encoding below HTTP/1.1 is malformed (RFC 9112 6.1; Netty refuses it): a 502 for each
      assertEquals(2, BadInputFramingTest.responses(response), response);
      assertEquals(2, response.split("HTTP/1.1 502 ", -1).length - 1, response);
      assertFalse(response.contains("forged") || response.contains("12345"), response);
    } finally {
      Harness.await(server.close());
    }
  }
}
