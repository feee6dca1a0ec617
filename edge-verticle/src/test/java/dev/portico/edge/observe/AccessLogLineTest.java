package dev.portico.edge.observe;

import dev.portico.contract.Target;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's lines as the writer gets them: the format byte for byte, and text from the request kept inside its string. */
class AccessLogLineTest {

  private static AccessLogLine typical() {
    AccessLogLine line = new AccessLogLine();
    line.epochMillis = Instant.parse("2026-11-23T02:20:01.120Z").toEpochMilli();
    line.requestId = "9f3c2a1b4d5e6f70";
    line.client = "203.0.113.9";
    line.method = "GET";
    line.host = "shop.example.com";
    line.path = "/cart";
    line.protocol = "http/1.1";
    line.site = "*.example.com";
    line.status = 200;
    line.bytesIn = 0;
    line.bytesOut = 5120;
    line.nanos = 1_900_400;
    line.upstream = new Target("10.0.0.5", 8080);
    line.upstreamNanos = 1_400_000;
    return line;
  }

  private static String written(AccessLogLine line) {
    AccessLogBuffer buffer = new AccessLogBuffer(64);
    line.writeTo(buffer);
    return buffer.drain().toString();
  }

  @Test
  void aLineIsOneJsonObjectWithItsFieldsInTheDocumentedOrder() {
    assertEquals("{\"time\":\"2026-11-23T02:20:01.120Z\",\"requestId\":\"9f3c2a1b4d5e6f70\",\"client\":\"203.0.113.9\","
        + "\"method\":\"GET\",\"host\":\"shop.example.com\",\"path\":\"/cart\",\"protocol\":\"http/1.1\","
        + "\"site\":\"*.example.com\",\"status\":200,\"bytesIn\":0,\"bytesOut\":5120,\"durationMs\":1.900,"
        + "\"upstream\":\"10.0.0.5:8080\",\"upstreamMs\":1.400}\n", written(typical()));
  }

  @Test
  void whatIsUnknownIsNull() {
    AccessLogLine line = typical();
    line.client = null;
    line.host = null;
    line.protocol = null;
    line.site = null;
    line.upstream = null;
    line.upstreamNanos = -1;
    line.status = 404;
    JsonObject json = new JsonObject(written(line));
    for (String field : new String[] {"client", "host", "protocol", "site", "upstream", "upstreamMs"}) {
      assertTrue(json.containsKey(field) && json.getValue(field) == null, field + " in " + json);
    }
    assertTrue(written(line).contains(",\"upstream\":null,\"upstreamMs\":null}"));
  }

  @Test
  void anIpv6UpstreamIsBracketed() {
    AccessLogLine line = typical();
    line.upstream = new Target("2001:db8::5", 443, Target.Protocol.HTTPS);
    assertTrue(written(line).contains(",\"upstream\":\"[2001:db8::5]:443\","), written(line));
  }

  @Test
  void textFromTheRequestNeverEndsTheLineOrItsString() {
    String path = "/a\r\nX-Forged: 1\",\"status\":200}\n\\\u0000\u001f\u007f\t";
    AccessLogLine line = typical();
    line.path = path;
    line.requestId = "id\"\\";
    line.method = "GE\rT";
    String text = written(line);
    assertEquals(text.length() - 1, text.indexOf('\n'), "one line break, at the end: " + text);
    assertFalse(text.contains("\r"), text);
    assertTrue(text.contains("\"path\":\"/a\\u000d\\u000aX-Forged: 1\\\",\\\"status\\\":200}\\u000a\\\\\\u0000\\u001f\\u007f\\u0009\""),
        text);
    JsonObject json = new JsonObject(text);
    assertEquals(path, json.getString("path"));
    assertEquals("id\"\\", json.getString("requestId"));
    assertEquals("GE\rT", json.getString("method"));
    assertEquals(200, json.getInteger("status"));
  }

  @Test
  void textBeyondAsciiIsUtf8AndALoneSurrogateAQuestionMark() {
    AccessLogLine line = typical();
    line.host = "bücher.example";
    line.path = "/日本/\ud83d\ude00/\ud83d/\ude00x";
    String text = written(line);
    assertTrue(text.contains("\"host\":\"bücher.example\""), text);
    assertTrue(text.contains("\"path\":\"/日本/\ud83d\ude00/?/?x\""), text);
    AccessLogBuffer buffer = new AccessLogBuffer(8);
    buffer.string(line.path);
    byte[] expected = "\"/日本/\ud83d\ude00/\ud83d/\ude00x\"".getBytes(StandardCharsets.UTF_8);  // the JDK's own encoding
    assertArrayEquals(expected, buffer.drain().bytes());
  }

  @Test
  void linesFollowEachOtherInOneBatch() {
    AccessLogBuffer buffer = new AccessLogBuffer(16);
    AccessLogLine line = typical();
    line.writeTo(buffer);
    line.status = 502;
    line.writeTo(buffer);
    String[] lines = buffer.drain().toString().split("\n");
    assertEquals(2, lines.length);
    assertEquals(200, new JsonObject(lines[0]).getInteger("status"));
    assertEquals(502, new JsonObject(lines[1]).getInteger("status"));
    assertEquals(0, buffer.length());
  }
}
