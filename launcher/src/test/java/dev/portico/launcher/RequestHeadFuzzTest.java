package dev.portico.launcher;

import dev.portico.contract.FieldSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the request head → forwarded head path: valid HTTP/1.1 heads, mutated at random (CR,
 * LF, NUL, space, tab, colon inserted; Content-Length and Transfer-Encoding repeated or added;
 * bogus versions; long lines; cuts), are sent through the real edge to a recording edge.backend.
 * Invariants: the edge always answers and closes the connection when it is asked to or refuses
 * (a read timeout is a hang); the backend parses no more requests than the edge answered (one
 * forwarded request never becomes two), every field it receives is valid, and it never sees two
 * framings (Content-Length and Transfer-Encoding, or differing lengths) or a body other than the
 * length said.
 *
 * <p>Seeded: {@code -Dportico.fuzz.seed=N} replays a run, {@code -Dportico.fuzz.seconds=S} runs
 * longer than the default 20 s. The seed is in every failure message.
 */
class RequestHeadFuzzTest {

  private static final String HOST = "fuzz.test";
  private static final List<String> VALID_HEADS = List.of(
      "GET /path?q=1 HTTP/1.1\r\nHost: " + HOST + "\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
      "POST /form HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
      "POST /chunks HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET / HTTP/1.0\r\nHost: " + HOST + "\r\nX-Custom: a, b\r\n\r\n",
      "PUT /x HTTP/1.1\r\nHost: " + HOST + ":80\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  private static final String[] INSERTS = {"\r", "\n", "\r\n", "\u0000", " ", "\t", ":", ",", "\u007f", "\u00ff",
      "\r\n ", "\r\nTransfer-Encoding: chunked", "\r\nContent-Length: 3", "\r\nContent-Length: 5",
      "\r\nTransfer-Encoding: gzip", "\r\nHost: other.test", "\r\n\r\n"};
  private static final String[] VERSIONS = {"HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "http/1.1", "HTTP/1",
      "HTTP/1.10", "HTTP/ 1.1"};
  /**
   * Sent after each case: enough bytes for the lengths cases announce, the end of a chunked body
   * and of a head, so that every case is complete and the edge has to answer; then a request that
   * asks the edge to close the connection, if it still reads from it. (A case announcing a longer
   * body gets its answer, then the edge rightly waits for the rest: that is not a hang.)
   */
  private static final String TAIL = "x".repeat(4096) + "\r\n0\r\n\r\n"
      + "GET /last HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n";

  @RegisterExtension
  static final RecordedEdge edge = new RecordedEdge(HOST);

  @Test
  void mutatedHeadsNeverHangNorReachTheBackendMalformed() throws IOException {
    long seed = Long.getLong("portico.fuzz.seed", System.nanoTime());
    long seconds = Long.getLong("portico.fuzz.seconds", 20);
    Random random = new Random(seed);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int cases = 0;
    while (System.nanoTime() < end) {
      String request = mutate(VALID_HEADS.get(random.nextInt(VALID_HEADS.size())), random);
      edge.backend.clear();
      String responses = exchange(request + TAIL, seed, cases);
      check(request, responses, seed, cases);
      cases++;
    }
    System.out.println("RequestHeadFuzzTest: " + cases + " cases, seed " + seed);
  }

  private static String mutate(String head, Random random) {
    StringBuilder text = new StringBuilder(head);
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      int at = random.nextInt(text.length() + 1);
      switch (random.nextInt(6)) {
        case 0, 1 -> text.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
        case 2 -> {
          int version = text.indexOf("HTTP/1.");
          if (version >= 0) {
            text.replace(version, version + 8, VERSIONS[random.nextInt(VERSIONS.length)]);
          }
        }
        case 3 -> {
          int line = text.indexOf("\r\n");
          text.insert(line + 2, "X-Long: " + "a".repeat(random.nextInt(20_000)) + "\r\n");
        }
        case 4 -> {
          int line = text.indexOf("\r\n");
          String framing = random.nextBoolean() ? "Content-Length: " + random.nextInt(10) : "Transfer-Encoding: chunked";
          text.insert(line + 2, framing + "\r\n");
        }
        default -> {
          int to = Math.min(text.length(), at + random.nextInt(4));
          text.delete(Math.min(at, to), to);
        }
      }
    }
    return text.toString();
  }

  /** Sends the case and reads every response up to the edge's close. */
  private static String exchange(String request, long seed, int index) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", edge.harness.httpPort())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        if (responses(received.toString(StandardCharsets.ISO_8859_1)) > 0) {
          // answered, and now reading a body longer than the tail that the case announced
          return received.toString(StandardCharsets.ISO_8859_1);
        }
        fail("seed " + seed + ", case " + index + ": no answer and close within 15 s to " + escape(request)
            + "; received " + escape(received.toString(StandardCharsets.ISO_8859_1)));
      } catch (IOException reset) {
        // a connection reset after the answer (or instead of one, for a broken head) is an answer
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** How many responses {@code received} holds: status line, head, Content-Length body, in a row. */
  private static int responses(String received) {
    int count = 0;
    int at = 0;
    while (at < received.length()) {
      int headEnd = received.indexOf("\r\n\r\n", at);
      if (headEnd < 0) {
        break;
      }
      count++;
      String head = received.substring(at, headEnd).toLowerCase();
      int length = head.indexOf("\r\ncontent-length: ");
      int valueEnd = length < 0 ? -1 : head.indexOf("\r\n", length + 2);
      at = headEnd + 4 + (length < 0 ? 0
          : Integer.parseInt(head.substring(length + 18, valueEnd < 0 ? head.length() : valueEnd).trim()));
    }
    return count;
  }

  private static void check(String request, String received, long seed, int index) {
    String where = "seed " + seed + ", case " + index + " " + escape(request) + ": ";
    if (!received.isEmpty() && !received.matches("(?s)\\S+ \\d{3}[ \r].*")) {  // HTTP/0.9 gets "HTTP/0.9 501"
      fail(where + "not an HTTP response: " + escape(received));
    }
    List<RecordingBackend.Received> requests = edge.backend.requests();
    int answered = responses(received);
    long ran = requests.stream().filter(RecordingBackend.Received::complete).count();
    if (ran > answered) {
      fail(where + "the backend ran " + ran + " requests, the edge answered " + answered + ": "
          + requests.stream()
          .map(r -> r.method() + " " + escape(r.uri()) + " " + r.headers().size() + " fields, body " + escape(r.body()))
          .toList());
    }
    for (RecordingBackend.Received forwarded : requests) {
      for (Map.Entry<String, String> field : forwarded.headers()) {
        if (!FieldSyntax.isToken(field.getKey()) || !FieldSyntax.isFieldValue(field.getValue())) {
          fail(where + "the backend got an invalid field: " + escape(field.getKey() + ": " + field.getValue()));
        }
      }
      List<String> lengths = forwarded.header("Content-Length");
      List<String> codings = forwarded.header("Transfer-Encoding");
      if (lengths.size() > 1 || codings.size() > 1 || (!lengths.isEmpty() && !codings.isEmpty())) {
        fail(where + "the backend got conflicting framing: " + escape(edge.backend.raw()));
      }
      if (forwarded.complete() && !lengths.isEmpty() && Long.parseLong(lengths.get(0)) != forwarded.body().length()) {
        fail(where + "the backend got a body other than its Content-Length said: " + escape(edge.backend.raw()));
      }
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    String cut = text.length() > 600 ? text.substring(0, 600) + "..." : text;
    for (char c : cut.toCharArray()) {
      if (c == '\r') {
        out.append("\\r");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
