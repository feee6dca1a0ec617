package dev.portico.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * How a node joins the cluster ({@code PORTICO_CLUSTER=on}). Settings left {@code null} keep what
 * the Hazelcast file says (the packed {@code cluster.xml}, or {@link #configFile}).
 *
 * @param enabled       whether the event bus is clustered at all
 * @param configFile    a Hazelcast XML file replacing the packed {@code cluster.xml}, or {@code null}
 * @param discovery     how members find each other, or {@code null}: as the file says, unless
 *                      {@code members} are given (then TCP/IP)
 * @param members       TCP/IP join: {@code host} or {@code host:port} of the other members, or {@code null}
 * @param port          Hazelcast's port on this node (no auto-increment when given), or {@code null}
 * @param host          the local address Hazelcast and the event bus bind and advertise, or {@code null}
 * @param publicHost    the address other nodes reach this node at (NAT, containers), or {@code null}
 * @param eventBusPort  the event bus's TCP port; 0 picks a free one
 * @param kubernetes    Kubernetes discovery settings, used when {@code discovery} is KUBERNETES
 * @param eventBusTls   TLS between event-bus peers, or {@code null} for plain TCP
 */
public record ClusterConfig(
    boolean enabled,
    Path configFile,
    Discovery discovery,
    List<String> members,
    Integer port,
    String host,
    String publicHost,
    int eventBusPort,
    Kubernetes kubernetes,
    EventBusTls eventBusTls) {

  public enum Discovery {
    TCP_IP, KUBERNETES;

    /** The name used in {@code PORTICO_CLUSTER_DISCOVERY}. */
    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Hazelcast's built-in Kubernetes discovery: by the DNS name of a headless Service (no API
   * access needed), or through the API by Service name (namespace {@code null}: the pod's own).
   */
  public record Kubernetes(String serviceDns, String serviceName, String namespace) {
  }

  /**
   * Mutual TLS between event-bus peers: this node's key and certificate, and what it trusts.
   * Both stores are PKCS#12 files. The passwords never appear in {@link #toString()}.
   */
  public record EventBusTls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    @Override
    public String toString() {
      return "EventBusTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
  }
}
