package dev.portico.edge.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** gRPC's wire rules the edge applies: grpc-timeout, the status for an edge error, grpc-message's encoding. */
class GrpcCallsTest {

  @ParameterizedTest
  @CsvSource({"2S, 2000", "1M, 30000", "1H, 30000", "250m, 250", "1500u, 1", "999999n, 1", "3000000n, 3",
      "0m, 1", "12345678m, 30000", "123456789m, 30000", "5s, 30000", "m, 30000", "-5m, 30000", "5, 30000",
      "1 m, 30000"})
  void grpcTimeoutShortensTheReadTimeoutOnly(String grpcTimeout, long expectedMs) {
    assertEquals(expectedMs, GrpcCalls.timeoutMs(grpcTimeout, 30_000));
  }

  @ParameterizedTest
  @CsvSource({"401, 16", "403, 7", "404, 12", "413, 8", "429, 8", "502, 14", "503, 14", "504, 4", "400, 13",
      "500, 13", "421, 13"})
  void edgeErrorsMapToGrpcCodes(int httpStatus, int grpcCode) {
    assertEquals(grpcCode, GrpcCalls.code(httpStatus));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"plain text|plain text", "100%|100%25", "thé|th%C3%A9", "a\tb|a%09b"})
  void grpcMessageIsPercentEncoded(String message, String encoded) {
    assertEquals(encoded, GrpcCalls.percentEncoded(message));
  }
}
