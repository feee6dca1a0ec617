package dev.portico.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.KubernetesConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests in {@code k8s/} and the root {@code Dockerfile}, checked against the
 * code since no cluster runs here: every object parses as its Kubernetes kind without unknown
 * fields, references resolve, and what Portico reads matches what the manifests give it (env
 * names, ports, probe paths, roles, the Hazelcast discovery).
 */
class ManifestTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path K8S = ROOT.resolve("k8s");
  /** Variables the JVM itself reads; every other name must be one Portico reads. */
  private static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
  private static final String PORTICO_LABEL = "app.kubernetes.io/name";

  private static Path variant(String name) {
    return K8S.resolve(name);
  }

  @Test
  void everyFileIsListedInItsKustomization() throws IOException {
    List<Path> dirs;
    try (Stream<Path> files = Files.walk(K8S)) {
      dirs = files.filter(file -> file.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).toList();
    }
    assertEquals(3, dirs.size(), "base and two overlays: " + dirs);
    for (Path dir : dirs) {
      assertEquals(Set.of(), Kustomization.unlisted(dir), dir + ": files its kustomization.yaml does not name");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/hostnetwork", "overlays/external-redis"})
  void manifestsAreWellFormedAndMatchTheCode(String name) throws Exception {
    Manifests manifests = new Manifests(Kustomization.build(variant(name)));
    manifests.checkReferences();
    List<Deployment> porticos = manifests.all(Deployment.class).stream()
        .filter(d -> "portico".equals(d.getSpec().getTemplate().getMetadata().getLabels().get(PORTICO_LABEL))).toList();
    assertEquals(Set.of("edge", "lookup", "admin", "cert"), porticos.stream()
        .map(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component")).collect(Collectors.toSet()));
    for (Deployment deployment : porticos) {
      manifests.checkPorticoPod(deployment);
    }
    assertEquals(2, manifests.named(Deployment.class, "portico-lookup").getSpec().getReplicas(), "lookup replicas");
    Service edge = manifests.named(Service.class, "portico-edge");
    assertEquals("LoadBalancer", edge.getSpec().getType());
    assertEquals(Map.of(80, "http", 443, "https"), edge.getSpec().getPorts().stream()
        .collect(Collectors.toMap(ServicePort::getPort, port -> port.getTargetPort().getStrVal())));
    assertEquals("ClusterIP", manifests.named(Service.class, "portico-admin").getSpec().getType());
    HorizontalPodAutoscaler hpa = manifests.named(HorizontalPodAutoscaler.class, "portico-edge");
    assertEquals("portico-edge", hpa.getSpec().getScaleTargetRef().getName());
  }

  @Test
  void theHostNetworkOverlayBindsTheEdgeToPorts80And443OnTheNode() throws Exception {
    Manifests manifests = new Manifests(Kustomization.build(variant("overlays/hostnetwork")));
    PodSpec pod = manifests.named(Deployment.class, "portico-edge").getSpec().getTemplate().getSpec();
    assertTrue(pod.getHostNetwork());
    assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    PorticoConfig config = manifests.configOf(pod);
    assertEquals(80, config.httpPort());
    assertEquals(443, config.httpsPort());
    assertEquals(List.of("NET_BIND_SERVICE"), pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd());
    assertFalse(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty(),
        "one edge per node");
    // the other roles stay on the pod network
    assertEquals(null, manifests.named(Deployment.class, "portico-lookup").getSpec().getTemplate().getSpec().getHostNetwork());
  }

  @Test
  void theExternalRedisOverlayHasNoRedisAndTakesTheUrlFromASecret() throws Exception {
    Manifests manifests = new Manifests(Kustomization.build(variant("overlays/external-redis")));
    assertEquals(List.of(), manifests.all(StatefulSet.class));
    for (Deployment deployment : manifests.all(Deployment.class)) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertTrue(pod.getContainers().get(0).getEnvFrom().stream().anyMatch(source -> source.getSecretRef() != null
          && "portico-redis".equals(source.getSecretRef().getName())), deployment.getMetadata().getName());
      assertTrue(manifests.configOf(pod).redisUrl().startsWith("redis://CHANGE-ME"));
    }
  }

  @Test
  void theDockerfileRunsTheShadedJarAsNonRootAndExposesTheDefaultPorts() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile")).stream().map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    PorticoConfig defaults = PorticoConfig.fromEnvironment(Map.of());
    Set<Integer> exposed = lines.stream().filter(line -> line.startsWith("EXPOSE "))
        .flatMap(line -> Stream.of(line.substring(7).trim().split("\\s+"))).map(Integer::valueOf).collect(Collectors.toSet());
    assertEquals(Set.of(defaults.httpPort(), defaults.httpsPort(), defaults.adminPort(), defaults.opsPort(), 5701, 5702),
        exposed);
    String user = lines.stream().filter(line -> line.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertFalse(Set.of("USER root", "USER 0").contains(user), user);
    for (String line : lines) {
      if (line.startsWith("ENV ")) {
        for (String pair : line.substring(4).trim().split("\\s+")) {
          String variable = pair.split("=", 2)[0];
          assertTrue(PorticoConfig.ENV_NAMES.contains(variable) || JVM_ENV.contains(variable), variable);
        }
      }
    }
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("FROM ") && line.contains("-jre")), "a JRE-only runtime stage");
    assertTrue(lines.stream().anyMatch(line -> line.contains("launcher/target/portico.jar")), "runs the shaded jar");
  }

  /** The objects of one kustomization, by kind. */
  private static final class Manifests {

    private final List<HasMetadata> objects = new ArrayList<>();

    Manifests(List<ObjectNode> nodes) {
      Set<String> seen = new HashSet<>();
      for (ObjectNode node : nodes) {
        String kind = node.get("kind").asText();
        Class<?> type = Kustomization.kinds().get(kind);
        assertNotNull(type, "a kind this test knows: " + kind);
        HasMetadata object = (HasMetadata) Kustomization.as(node, type);
        String id = kind + "/" + object.getMetadata().getName();
        assertTrue(seen.add(id), "defined twice: " + id);
        assertEquals(HasMetadata.getApiVersion(object.getClass()), object.getApiVersion(), id + " apiVersion");
        List<String> unknown = new ArrayList<>();
        unknownFields(object, id, unknown);
        assertEquals(List.of(), unknown, "fields the Kubernetes API does not have");
        if (!kind.equals("Namespace")) {
          assertEquals("portico", object.getMetadata().getNamespace(), id + " namespace");
        }
        objects.add(object);
      }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    List<PodTemplateSpec> podTemplates() {
      List<PodTemplateSpec> templates = new ArrayList<>();
      all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
      all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
      return templates;
    }

    void checkReferences() {
      for (Deployment deployment : all(Deployment.class)) {
        assertTrue(selects(deployment.getSpec().getSelector().getMatchLabels(), deployment.getSpec().getTemplate()),
            deployment.getMetadata().getName() + ": its selector matches its pod labels");
      }
      for (StatefulSet set : all(StatefulSet.class)) {
        assertTrue(selects(set.getSpec().getSelector().getMatchLabels(), set.getSpec().getTemplate()));
      }
      for (Service service : all(Service.class)) {
        List<PodTemplateSpec> selected = podTemplates().stream()
            .filter(template -> selects(service.getSpec().getSelector(), template)).toList();
        assertFalse(selected.isEmpty(), "Service " + service.getMetadata().getName() + " selects pods");
        for (ServicePort port : service.getSpec().getPorts()) {
          for (PodTemplateSpec template : selected) {
            assertNotNull(containerPort(template.getSpec(), port.getTargetPort()), "Service "
                + service.getMetadata().getName() + " port " + port.getName() + " targets a port of its pods");
          }
        }
      }
      for (PodDisruptionBudget budget : all(PodDisruptionBudget.class)) {
        assertEquals(1, all(Deployment.class).stream()
            .filter(d -> selects(budget.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate())).count(),
            "PodDisruptionBudget " + budget.getMetadata().getName() + " covers one Deployment");
      }
      for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
        named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
      }
      for (RoleBinding binding : all(RoleBinding.class)) {
        named(Role.class, binding.getRoleRef().getName());
        binding.getSubjects().forEach(subject -> named(ServiceAccount.class, subject.getName()));
      }
      for (PodTemplateSpec template : podTemplates()) {
        PodSpec pod = template.getSpec();
        assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(),
            "service links off: they would inject PORTICO_* variables named after the Services");
        if (pod.getServiceAccountName() != null) {
          named(ServiceAccount.class, pod.getServiceAccountName());
        }
        for (Container container : pod.getContainers()) {
          assertNotNull(container.getResources().getRequests(), container.getName() + " resource requests");
          assertNotNull(container.getResources().getLimits(), container.getName() + " resource limits");
          assertNotNull(container.getLivenessProbe(), container.getName() + " liveness probe");
          assertNotNull(container.getReadinessProbe(), container.getName() + " readiness probe");
          for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
              named(ConfigMap.class, source.getConfigMapRef().getName());
            }
            if (source.getSecretRef() != null) {
              named(Secret.class, source.getSecretRef().getName());
            }
          }
          for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
              var ref = variable.getValueFrom().getSecretKeyRef();
              assertTrue(secretData(named(Secret.class, ref.getName())).containsKey(ref.getKey()),
                  variable.getName() + ": Secret " + ref.getName() + " has key " + ref.getKey());
            }
          }
        }
        for (Volume volume : pod.getVolumes()) {
          if (volume.getConfigMap() != null) {
            named(ConfigMap.class, volume.getConfigMap().getName());
          }
        }
      }
    }

    /**
     * A Portico pod: the configuration it gets parses (env names Portico knows, valid roles and
     * ports), its role is its component, its ports and probes are the ones Portico opens, and
     * its Hazelcast configuration finds the other pods.
     */
    void checkPorticoPod(Deployment deployment) throws IOException {
      String name = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertEquals(1, pod.getContainers().size(), name);
      Container container = pod.getContainers().get(0);
      for (String variable : envNames(container)) {
        assertTrue(PorticoConfig.ENV_NAMES.contains(variable) || JVM_ENV.contains(variable),
            name + " sets " + variable + ", which Portico does not read");
      }
      PorticoConfig config = configOf(pod);
      String component = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
      assertEquals(Set.of(component), config.roles().stream().map(dev.portico.launcher.Role::configName).collect(Collectors.toSet()),
          name + " runs its component's role");

      Map<String, Integer> ports = container.getPorts().stream()
          .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
      Map<String, Integer> expected = new HashMap<>();
      expected.put("ops", config.opsPort());
      expected.put("hazelcast", config.cluster().port());
      expected.put("eventbus", config.cluster().eventBusPort());
      if (config.roles().contains(dev.portico.launcher.Role.EDGE)) {
        expected.put("http", config.httpPort());
        expected.put("https", config.httpsPort());
      }
      if (config.roles().contains(dev.portico.launcher.Role.ADMIN)) {
        expected.put("admin", config.adminPort());
      }
      assertEquals(expected, ports, name + " container ports are the ones Portico opens");

      int probePort = config.roles().contains(dev.portico.launcher.Role.ADMIN) ? config.adminPort() : config.opsPort();
      checkProbe(name + " liveness", pod, container.getLivenessProbe(), OpsServer.LIVE_PATH, probePort);
      checkProbe(name + " startup", pod, container.getStartupProbe(), OpsServer.LIVE_PATH, probePort);
      checkProbe(name + " readiness", pod, container.getReadinessProbe(), OpsServer.READY_PATH, probePort);

      if (Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem())) {
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
            name + ": a writable /tmp (Netty unpacks its native library there)");
      }
      checkRedisUrl(name, config);
      checkCluster(name, config);
    }

    private static void checkProbe(String what, PodSpec pod, Probe probe, String path, int port) {
      assertNotNull(probe, what);
      assertEquals(path, probe.getHttpGet().getPath(), what + " path");
      assertEquals(port, containerPort(pod, probe.getHttpGet().getPort()), what + " port");
    }

    private void checkRedisUrl(String name, PorticoConfig config) {
      assertFalse(config.embeddedRedis(), name + ": pods use a Redis of their own, never the embedded one");
      String host = URI.create(config.redisUrl()).getHost();
      all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(host)).findFirst().ifPresent(service ->
          assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == URI.create(config.redisUrl()).getPort()),
              name + ": the Redis Service has the URL's port"));
    }

    /** Kubernetes discovery through the headless Service that lists every Portico pod. */
    private void checkCluster(String name, PorticoConfig config) throws IOException {
      assertTrue(config.cluster().enabled(), name + " is clustered");
      Config hazelcast = ClusterSetup.hazelcastConfig(config.cluster());
      var join = hazelcast.getNetworkConfig().getJoin();
      assertFalse(join.getTcpIpConfig().isEnabled(), name + ": no member list in Kubernetes");
      KubernetesConfig kubernetes = join.getKubernetesConfig();
      assertTrue(kubernetes.isEnabled(), name + ": Kubernetes discovery");
      assertEquals("true", kubernetes.getProperty("resolve-not-ready-addresses"),
          "pods are ready only after they joined, so discovery must list unready ones");
      Service headless = named(Service.class, kubernetes.getProperty("service-name"));
      assertEquals("None", headless.getSpec().getClusterIP());
      assertTrue(headless.getSpec().getPublishNotReadyAddresses());
      assertEquals(List.of(config.cluster().port()), headless.getSpec().getPorts().stream().map(ServicePort::getPort).toList());
      for (Deployment deployment : all(Deployment.class)) {
        if ("portico".equals(deployment.getSpec().getTemplate().getMetadata().getLabels().get(PORTICO_LABEL))) {
          assertTrue(selects(headless.getSpec().getSelector(), deployment.getSpec().getTemplate()),
              "the headless Service lists " + deployment.getMetadata().getName());
        }
      }
      // the structures Vert.x needs, as in the root cluster.xml
      Config root = new FileSystemXmlConfig(ROOT.resolve("cluster.xml").toFile());
      assertEquals(root.getMultiMapConfig("__vertx.subs"), hazelcast.getMultiMapConfig("__vertx.subs"));
      assertEquals(root.getMapConfig("__vertx.haInfo"), hazelcast.getMapConfig("__vertx.haInfo"));
      assertEquals(root.getMapConfig("__vertx.nodeInfo"), hazelcast.getMapConfig("__vertx.nodeInfo"));
      assertEquals(root.getProperties(), hazelcast.getProperties());
    }

    /**
     * What Portico reads in this pod: the ConfigMaps' values; the pod address for field refs;
     * Secrets unset (they hold placeholders); files of mounted ConfigMaps written where the pod
     * would see them, so PORTICO_CLUSTER_CONFIG must name a mounted key.
     */
    PorticoConfig configOf(PodSpec pod) throws IOException {
      Container container = pod.getContainers().get(0);
      Map<String, String> env = new HashMap<>();
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null) {
          env.putAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        if (source.getSecretRef() != null) {
          env.putAll(secretData(named(Secret.class, source.getSecretRef().getName())));
        }
      }
      for (EnvVar variable : container.getEnv()) {
        if (variable.getValue() != null) {
          env.put(variable.getName(), variable.getValue());
        } else if (variable.getValueFrom().getFieldRef() != null) {
          assertEquals("status.podIP", variable.getValueFrom().getFieldRef().getFieldPath());
          env.put(variable.getName(), "10.1.2.3");
        } else {
          env.remove(variable.getName());
        }
      }
      for (String secretKey : List.of("PORTICO_JWT_PRIVATE_KEY", "PORTICO_JWT_PUBLIC_KEY")) {
        env.remove(secretKey);
      }
      String clusterConfig = env.get("PORTICO_CLUSTER_CONFIG");
      if (clusterConfig != null) {
        env.put("PORTICO_CLUSTER_CONFIG", mountedFile(pod, container, Path.of(clusterConfig)).toString());
      }
      return PorticoConfig.fromEnvironment(env);
    }

    private Path mountedFile(PodSpec pod, Container container, Path path) throws IOException {
      for (VolumeMount mount : container.getVolumeMounts()) {
        if (path.getParent().equals(Path.of(mount.getMountPath()))) {
          Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
              .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
          assertNotNull(volume.getConfigMap(), path + " comes from a ConfigMap");
          String content = named(ConfigMap.class, volume.getConfigMap().getName()).getData()
              .get(path.getFileName().toString());
          assertNotNull(content, "ConfigMap " + volume.getConfigMap().getName() + " has " + path.getFileName());
          Path file = Files.createTempFile("portico-manifest", ".xml");
          file.toFile().deleteOnExit();
          return Files.writeString(file, content);
        }
      }
      throw new AssertionError(path + " is on no mounted volume");
    }

    private static Map<String, String> secretData(Secret secret) {
      Map<String, String> data = new HashMap<>();
      if (secret.getStringData() != null) {
        data.putAll(secret.getStringData());
      }
      if (secret.getData() != null) {
        secret.getData().forEach((key, value) -> data.put(key, new String(java.util.Base64.getDecoder().decode(value))));
      }
      return data;
    }

    private Set<String> envNames(Container container) {
      Set<String> names = new TreeSet<>();
      container.getEnv().forEach(variable -> names.add(variable.getName()));
      for (EnvFromSource source : container.getEnvFrom()) {
        if (source.getConfigMapRef() != null) {
          names.addAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet());
        }
        if (source.getSecretRef() != null) {
          names.addAll(secretData(named(Secret.class, source.getSecretRef().getName())).keySet());
        }
      }
      return names;
    }

    private static boolean selects(Map<String, String> selector, PodTemplateSpec template) {
      return selector != null && !selector.isEmpty()
          && template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet());
    }

    /** The container port a probe or Service names, by number or by name; null if none. */
    private static Integer containerPort(PodSpec pod, IntOrString port) {
      return pod.getContainers().stream().flatMap(c -> c.getPorts().stream())
          .filter(p -> port.getIntVal() != null ? Objects.equals(p.getContainerPort(), port.getIntVal())
              : port.getStrVal().equals(p.getName()))
          .map(ContainerPort::getContainerPort).findFirst().orElse(null);
    }

    /**
     * fabric8 keeps fields its model does not have in {@code additionalProperties}: a typo such
     * as {@code readinesProbe} lands there instead of failing the parse.
     */
    private static void unknownFields(Object value, String path, List<String> out) {
      if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
          || value instanceof Enum<?>) {
        return;
      }
      if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          unknownFields(item, path + "[" + i++ + "]", out);
        }
        return;
      }
      if (value instanceof Map<?, ?> map) {
        map.forEach((key, item) -> unknownFields(item, path + "." + key, out));
        return;
      }
      if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
        return;
      }
      for (Method getter : value.getClass().getMethods()) {
        if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
            || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
          continue;
        }
        try {
          Object field = getter.invoke(value);
          if (getter.getName().equals("getAdditionalProperties")) {
            if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
              out.add(path + ": " + extra.keySet());
            }
          } else {
            unknownFields(field, path + "." + getter.getName().substring(3), out);
          }
        } catch (ReflectiveOperationException e) {
          fail("cannot read " + path + "." + getter.getName() + ": " + e);
        }
      }
    }
  }
}
