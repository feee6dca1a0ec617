package dev.portico.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster settings from the environment, and the Hazelcast and event-bus options they make. */
class ClusterConfigTest {

  private static ClusterConfig cluster(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("PORTICO_CLUSTER", "on");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return PorticoConfig.fromEnvironment(env).cluster();
  }

  private static String error(String... pairs) {
    return assertThrows(ConfigException.class, () -> cluster(pairs)).getMessage();
  }

  @Test
  void withoutSettingsThePackedClusterXmlJoinsOverTcpIpOnLoopback() {
    Config config = ClusterSetup.hazelcastConfig(cluster());
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertEquals(5701, config.getNetworkConfig().getPort());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    EventBusOptions eventBus = ClusterSetup.eventBusOptions(cluster());
    assertFalse(eventBus.isSsl());
    assertEquals(0, eventBus.getPort());
  }

  @Test
  void membersPortAndHostsOverrideTheFile() {
    ClusterConfig cluster = cluster("PORTICO_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2,[fd00::3]:5702",
        "PORTICO_CLUSTER_PORT", "5801", "PORTICO_CLUSTER_HOST", "127.0.0.1",
        "PORTICO_CLUSTER_PUBLIC_HOST", "203.0.113.7", "PORTICO_EVENTBUS_PORT", "5802");
    Config config = ClusterSetup.hazelcastConfig(cluster);
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2", "[fd00::3]:5702"),
        config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("203.0.113.7", config.getNetworkConfig().getPublicAddress());
    EventBusOptions eventBus = ClusterSetup.eventBusOptions(cluster);
    assertEquals("127.0.0.1", eventBus.getHost());
    assertEquals("203.0.113.7", eventBus.getClusterPublicHost());
    assertEquals(5802, eventBus.getPort());
  }

  @Test
  void kubernetesDiscoveryByServiceDnsOrByApi() {
    JoinConfig dns = ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_DISCOVERY", "kubernetes",
        "PORTICO_CLUSTER_K8S_SERVICE_DNS", "portico-hazelcast.portico.svc.cluster.local"))
        .getNetworkConfig().getJoin();
    assertFalse(dns.getTcpIpConfig().isEnabled());
    assertTrue(dns.getKubernetesConfig().isEnabled());
    assertEquals(Map.of("service-dns", "portico-hazelcast.portico.svc.cluster.local"),
        dns.getKubernetesConfig().getProperties());

    JoinConfig api = ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_DISCOVERY", "Kubernetes",
        "PORTICO_CLUSTER_K8S_SERVICE_NAME", "portico-hazelcast", "PORTICO_CLUSTER_K8S_NAMESPACE", "edge"))
        .getNetworkConfig().getJoin();
    assertEquals(Map.of("service-name", "portico-hazelcast", "namespace", "edge"), api.getKubernetesConfig().getProperties());
  }

  @Test
  void aClusterConfigFileReplacesThePackedOne() throws IOException {
    Path file = Files.createTempFile("cluster", ".xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>elsewhere</cluster-name>
          <network><join><multicast enabled="false"/><tcp-ip enabled="true"><member>10.9.9.9</member></tcp-ip></join></network>
        </hazelcast>
        """);
    Config config = ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_CONFIG", file.toString()));
    assertEquals("elsewhere", config.getClusterName());
    assertEquals(List.of("10.9.9.9"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());

    // a file that discovers through Kubernetes, turned to a member list by the environment
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <network><join><multicast enabled="false"/><tcp-ip enabled="false"/>
            <kubernetes enabled="true"><service-dns>portico-hazelcast</service-dns></kubernetes></join></network>
        </hazelcast>
        """);
    JoinConfig kubernetes = ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_CONFIG", file.toString()))
        .getNetworkConfig().getJoin();
    assertTrue(kubernetes.getKubernetesConfig().isEnabled());
    assertFalse(kubernetes.getTcpIpConfig().isEnabled());
    JoinConfig listed = ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_CONFIG", file.toString(),
        "PORTICO_CLUSTER_MEMBERS", "10.0.0.1")).getNetworkConfig().getJoin();
    assertFalse(listed.getKubernetesConfig().isEnabled());
    assertEquals(List.of("10.0.0.1"), listed.getTcpIpConfig().getMembers());

    Files.writeString(file, "<hazelcast><network>");
    assertTrue(assertThrows(ConfigException.class,
        () -> ClusterSetup.hazelcastConfig(cluster("PORTICO_CLUSTER_CONFIG", file.toString()))).getMessage()
        .startsWith("PORTICO_CLUSTER_CONFIG=" + file + " is not a Hazelcast XML configuration"));
  }

  @Test
  void eventBusTlsIsMutualWithTheGivenStores() throws IOException {
    Path keyStore = Files.createTempFile("node", ".p12");
    Path trustStore = Files.createTempFile("trust", ".p12");
    ClusterConfig cluster = cluster("PORTICO_EVENTBUS_TLS", "on",
        "PORTICO_EVENTBUS_TLS_KEYSTORE", keyStore.toString(), "PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD", "k-secret",
        "PORTICO_EVENTBUS_TLS_TRUSTSTORE", trustStore.toString(), "PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD", "t-secret");
    EventBusOptions options = ClusterSetup.eventBusOptions(cluster);
    assertTrue(options.isSsl());
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
    assertEquals(keyStore.toString(), ((PfxOptions) options.getKeyCertOptions()).getPath());
    assertEquals(trustStore.toString(), ((PfxOptions) options.getTrustOptions()).getPath());
    String printed = PorticoConfig.fromEnvironment(Map.of("PORTICO_EVENTBUS_TLS", "on",
        "PORTICO_EVENTBUS_TLS_KEYSTORE", keyStore.toString(), "PORTICO_EVENTBUS_TLS_KEYSTORE_PASSWORD", "k-secret",
        "PORTICO_EVENTBUS_TLS_TRUSTSTORE", trustStore.toString(), "PORTICO_EVENTBUS_TLS_TRUSTSTORE_PASSWORD", "t-secret"))
        .toString();
    assertFalse(printed.contains("k-secret") || printed.contains("t-secret"), printed);
  }

  @Test
  void badClusterSettingsSayWhatIsWrong() {
    assertEquals("PORTICO_CLUSTER_DISCOVERY='dns' must be tcp-ip or kubernetes", error("PORTICO_CLUSTER_DISCOVERY", "dns"));
    assertEquals("PORTICO_CLUSTER_MEMBERS names '10.0.0.1:5701:1': expected host or host:port",
        error("PORTICO_CLUSTER_MEMBERS", "10.0.0.1:5701:1"));
    assertEquals("PORTICO_CLUSTER_MEMBERS is empty: list host or host:port, comma-separated",
        error("PORTICO_CLUSTER_MEMBERS", " , "));
    assertEquals("PORTICO_CLUSTER_PORT=0 is not a port (1-65535)", error("PORTICO_CLUSTER_PORT", "0"));
    assertEquals("PORTICO_EVENTBUS_PORT=70000 must be between 0 and 65535", error("PORTICO_EVENTBUS_PORT", "70000"));
    assertEquals("PORTICO_CLUSTER_DISCOVERY=kubernetes needs exactly one of PORTICO_CLUSTER_K8S_SERVICE_DNS "
        + "(a headless Service) and PORTICO_CLUSTER_K8S_SERVICE_NAME (API lookup)",
        error("PORTICO_CLUSTER_DISCOVERY", "kubernetes"));
    assertTrue(error("PORTICO_CLUSTER_DISCOVERY", "kubernetes", "PORTICO_CLUSTER_K8S_SERVICE_DNS", "a",
        "PORTICO_CLUSTER_MEMBERS", "10.0.0.1").startsWith("PORTICO_CLUSTER_MEMBERS is for tcp-ip discovery"));
    assertEquals("PORTICO_EVENTBUS_TLS=on needs PORTICO_EVENTBUS_TLS_KEYSTORE (a PKCS#12 file)",
        error("PORTICO_EVENTBUS_TLS", "on"));
    assertEquals("PORTICO_EVENTBUS_TLS_KEYSTORE=/nonexistent/node.p12 is not a readable file",
        error("PORTICO_EVENTBUS_TLS", "on", "PORTICO_EVENTBUS_TLS_KEYSTORE", "/nonexistent/node.p12"));
    assertEquals("PORTICO_CLUSTER_CONFIG=/nonexistent/cluster.xml is not a readable file",
        error("PORTICO_CLUSTER_CONFIG", "/nonexistent/cluster.xml"));
    assertEquals("PORTICO_LOOKUP_INSTANCES=0 must be at least 1", error("PORTICO_LOOKUP_INSTANCES", "0"));
  }

  @Test
  void redisPasswordsAreNotPrinted() {
    assertEquals("rediss://portico:***@redis.example.net:6380/0", PorticoConfig.fromEnvironment(
        Map.of("PORTICO_REDIS_URL", "rediss://portico:s3cr:et@redis.example.net:6380/0")).redisUrlForLog());
    assertEquals("redis://:***@10.0.0.9:6379", PorticoConfig.fromEnvironment(
        Map.of("PORTICO_REDIS_URL", "redis://:s3cret@10.0.0.9:6379")).redisUrlForLog());
    assertEquals("redis://10.0.0.9:6379/1", PorticoConfig.fromEnvironment(
        Map.of("PORTICO_REDIS_URL", "redis://10.0.0.9:6379/1")).redisUrlForLog());
  }

  @Test
  void unknownPorticoVariablesAreNamedAndOthersIgnored() {
    assertEquals(Set.of("PORTICO_EGDE_INSTANCES"), PorticoConfig.unknownNames(Map.of(
        "PORTICO_EGDE_INSTANCES", "2", "PORTICO_EDGE_INSTANCES", "2", "HOME", "/root")));
    assertNull(PorticoConfig.fromEnvironment(Map.of()).cluster().eventBusTls());
  }
}
