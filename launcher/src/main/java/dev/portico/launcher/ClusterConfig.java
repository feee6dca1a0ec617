package dev.portico.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.portico.launcher.ConfigEnv.integerBetween;
import static dev.portico.launcher.ConfigEnv.onOff;

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

  static ClusterConfig fromEnvironment(ConfigEnv env) {
    Discovery discovery = discovery(env.get("PORTICO_CLUSTER_DISCOVERY"));
    String members = env.get("PORTICO_CLUSTER_MEMBERS");
    Kubernetes kubernetes = new Kubernetes(env.get("PORTICO_CLUSTER_K8S_SERVICE_DNS"),
        env.get("PORTICO_CLUSTER_K8S_SERVICE_NAME"), env.get("PORTICO_CLUSTER_K8S_NAMESPACE"));
    if (discovery == Discovery.KUBERNETES) {
      if (members != null) {
        throw new ConfigException("PORTICO_CLUSTER_MEMBERS is for tcp-ip discovery; with kubernetes discovery "
            + "members are found through PORTICO_CLUSTER_K8S_SERVICE_DNS or PORTICO_CLUSTER_K8S_SERVICE_NAME");
      }
      if ((kubernetes.serviceDns() == null) == (kubernetes.serviceName() == null)) {
        throw new ConfigException("PORTICO_CLUSTER_DISCOVERY=kubernetes needs exactly one of "
            + "PORTICO_CLUSTER_K8S_SERVICE_DNS (a headless Service) and PORTICO_CLUSTER_K8S_SERVICE_NAME (API lookup)");
      }
    }
    String configFile = env.get("PORTICO_CLUSTER_CONFIG");
    if (configFile != null && !Files.isReadable(Path.of(configFile))) {
      throw new ConfigException("PORTICO_CLUSTER_CONFIG=" + configFile + " is not a readable file");
    }
    return new ClusterConfig(
        onOff(env, "PORTICO_CLUSTER", false),
        configFile == null ? null : Path.of(configFile),
        discovery,
        members == null ? null : members(members),
        env.get("PORTICO_CLUSTER_PORT") == null ? null : ConfigEnv.port(env, "PORTICO_CLUSTER_PORT", 5701),
        env.get("PORTICO_CLUSTER_HOST"),
        env.get("PORTICO_CLUSTER_PUBLIC_HOST"),
        integerBetween(env, "PORTICO_EVENTBUS_PORT", 0, 0, 65535),
        kubernetes,
        onOff(env, "PORTICO_EVENTBUS_TLS", false) ? EventBusTls.fromEnvironment(env) : null);
  }

  private static Discovery discovery(String value) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(Discovery.values())
        .filter(discovery -> discovery.configName().equals(value.trim().toLowerCase(java.util.Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new ConfigException("PORTICO_CLUSTER_DISCOVERY='" + value + "' must be tcp-ip or kubernetes"));
  }

  private static List<String> members(String value) {
    List<String> members = Arrays.stream(value.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    for (String member : members) {
      if (!member.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
        throw new ConfigException("PORTICO_CLUSTER_MEMBERS names '" + member + "': expected host or host:port");
      }
    }
    if (members.isEmpty()) {
      throw new ConfigException("PORTICO_CLUSTER_MEMBERS is empty: list host or host:port, comma-separated");
    }
    return members;
  }

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

    static EventBusTls fromEnvironment(ConfigEnv env) {
      return new EventBusTls(
          readableFile(env, "PORTICO_EVENTBUS_TLS_KEYSTORE"),
          env.get("PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD"),
          readableFile(env, "PORTICO_EVENTBUS_TLS_TRUSTSTORE"),
          env.get("PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD"));
    }

    private static Path readableFile(ConfigEnv env, String name) {
      String value = env.get(name);
      if (value == null) {
        throw new ConfigException("PORTICO_EVENTBUS_TLS=on needs " + name + " (a PKCS#12 file)");
      }
      Path path = Path.of(value);
      if (!Files.isReadable(path)) {
        throw new ConfigException(name + "=" + value + " is not a readable file");
      }
      return path;
    }

    @Override
    public String toString() {
      return "EventBusTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
  }
}
