package dev.portico.launcher;

import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * {@code PORTICO_TRANSPORT}: the Netty transport under every socket of the node (listeners, backend
 * connections, Redis, DNS). io_uring is the default: it measured about half the CPU per proxied
 * request that epoll costs (README "Proxy throughput").
 * Where the chosen one cannot start (an older kernel, a container's seccomp profile,
 * {@code kernel.io_uring_disabled}) the node falls back to epoll, and from epoll to NIO (the
 * JDK's, always there), saying so in one log line.
 */
enum NetTransport {
  IO_URING("io_uring"),
  EPOLL("epoll"),
  NIO("nio");

  private static final Logger LOG = LoggerFactory.getLogger(NetTransport.class);

  private final String configName;

  NetTransport(String configName) {
    this.configName = configName;
  }

  String configName() {
    return configName;
  }

  static NetTransport parse(String value) {
    String name = value.trim().toLowerCase(Locale.ROOT);
    for (NetTransport transport : values()) {
      if (transport.configName.equals(name)) {
        return transport;
      }
    }
    throw new ConfigException("PORTICO_TRANSPORT='" + value + "' must be io_uring, epoll or nio");
  }

  /** This transport if it can start here, else the first one down the list that can. */
  Transport startable() {
    NetTransport candidate = this;
    Transport transport = candidate.vertxTransport();
    while (transport == null || !transport.available()) {
      candidate = values()[candidate.ordinal() + 1];
      transport = candidate.vertxTransport();
    }
    if (candidate != this) {
      LOG.warn("The {} transport cannot start here ({}): using {} (PORTICO_TRANSPORT)", configName,
          unavailabilityCause(), candidate.configName);
    }
    return transport;
  }

  /** Vert.x's transport of this name; null when its Netty jar is not on the class path. */
  private Transport vertxTransport() {
    return switch (this) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
    };
  }

  private String unavailabilityCause() {
    Transport transport = vertxTransport();
    if (transport == null) {
      return "its Netty library is not on the class path";
    }
    Throwable cause = transport.unavailabilityCause();
    return cause == null ? "unavailable" : String.valueOf(cause.getMessage()).replaceAll("[\\r\\n]+", " ");
  }
}
