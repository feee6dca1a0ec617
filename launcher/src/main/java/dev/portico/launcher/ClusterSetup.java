package dev.portico.launcher;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a {@link ClusterConfig} into what Vert.x needs to join: the Hazelcast configuration (the
 * XML file, then the {@code PORTICO_CLUSTER_*} settings over it) and the event-bus options.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    Config config = load(cluster);
    NetworkConfig network = config.getNetworkConfig();
    if (cluster.port() != null) {
      // A fixed port is what the other members list; auto-increment would hide a clash.
      network.setPort(cluster.port()).setPortAutoIncrement(false);
    }
    if (cluster.host() != null) {
      network.getInterfaces().setEnabled(true).clear().addInterface(address(cluster.host()));
    }
    if (cluster.publicHost() != null) {
      network.setPublicAddress(cluster.publicHost());
    }
    JoinConfig join = network.getJoin();
    ClusterConfig.Discovery discovery = cluster.discovery() == null && cluster.members() != null
        ? ClusterConfig.Discovery.TCP_IP : cluster.discovery();
    if (discovery == ClusterConfig.Discovery.KUBERNETES) {
      join.getTcpIpConfig().setEnabled(false);
      join.getMulticastConfig().setEnabled(false);
      KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
      kubernetes.getProperties().clear();
      setIfPresent(kubernetes, "service-dns", cluster.kubernetes().serviceDns());
      setIfPresent(kubernetes, "service-name", cluster.kubernetes().serviceName());
      setIfPresent(kubernetes, "namespace", cluster.kubernetes().namespace());
    } else if (discovery == ClusterConfig.Discovery.TCP_IP) {
      join.getKubernetesConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true);
      if (cluster.members() != null) {
        join.getTcpIpConfig().setMembers(cluster.members());
      }
    }
    return config;
  }

  static EventBusOptions eventBusOptions(ClusterConfig cluster) {
    EventBusOptions options = new EventBusOptions().setPort(cluster.eventBusPort());
    if (cluster.host() != null) {
      options.setHost(cluster.host());
    }
    if (cluster.publicHost() != null) {
      options.setClusterPublicHost(cluster.publicHost());
    }
    ClusterConfig.EventBusTls tls = cluster.eventBusTls();
    if (tls != null) {
      // Mutual TLS: a peer without a certificate from the trust store cannot send or receive.
      options.setSsl(true)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PfxOptions().setPath(tls.keyStore().toString()).setPassword(tls.keyStorePassword()))
          .setTrustOptions(new PfxOptions().setPath(tls.trustStore().toString()).setPassword(tls.trustStorePassword()));
    }
    return options;
  }

  private static Config load(ClusterConfig cluster) {
    if (cluster.configFile() == null) {
      return new ClasspathXmlConfig("cluster.xml");
    }
    try {
      return new FileSystemXmlConfig(cluster.configFile().toFile());
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("PORTICO_CLUSTER_CONFIG=" + cluster.configFile() + " is not a Hazelcast XML "
          + "configuration: " + e.getMessage(), e);
    }
  }

  /** Hazelcast's interface list takes addresses, not names. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("PORTICO_CLUSTER_HOST=" + host + " does not resolve", e);
    }
  }

  private static void setIfPresent(KubernetesConfig kubernetes, String name, String value) {
    if (value != null) {
      kubernetes.setProperty(name, value);
    }
  }
}
