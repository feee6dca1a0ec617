package dev.portico.launcher;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A real TLS client on 127.0.0.1 that sends the SNI name it is told (or none) and trusts any
 * certificate, so tests can see which certificate the edge chose.
 */
final class TlsClient {

  private TlsClient() {
  }

  /** Connects and completes a full handshake; {@code serverName} null sends no SNI. */
  static SSLSocket connect(int port, String serverName) throws IOException {
    // a fresh context per connection: a cached session would be resumed, with the certificate of its first handshake
    SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** The leaf certificate served for {@code serverName}. */
  static X509Certificate leaf(int port, String serverName) {
    try (SSLSocket socket = connect(port, serverName)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new AssertionError("handshake for " + serverName + " failed: " + e, e);
    }
  }

  static List<String> dnsNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        sans.stream().filter(san -> (Integer) san.get(0) == 2).forEach(san -> names.add((String) san.get(1)));
      }
    } catch (CertificateParsingException e) {
      throw new AssertionError(e);
    }
    return names;
  }

  /** Sends a GET on an open connection (keep-alive) and returns status line, headers and body. */
  static String get(SSLSocket socket, String host, String path) throws IOException {
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head: " + head);
      }
      head.write(b);
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headText.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return headText + new String(body, StandardCharsets.UTF_8);
  }

  static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
