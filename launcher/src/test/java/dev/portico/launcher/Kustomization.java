package dev.portico.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The part of {@code kubectl kustomize} the manifests in {@code k8s/} use, since no kubectl runs
 * here: resources (files and other kustomizations), the namespace, JSON 6902 patches with a
 * target (kind, name, label selector) and {@code $patch: delete} patches. Anything else in a
 * kustomization fails the build, so the manifests cannot drift past what this checks.
 */
final class Kustomization {

  static final ObjectMapper YAML = new YAMLMapper();
  private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
      "images");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

  private Kustomization() {
  }

  /** The objects {@code kubectl kustomize dir} would print. */
  static List<ObjectNode> build(Path dir) throws IOException {
    JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    Iterator<String> fields = kustomization.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!KNOWN_FIELDS.contains(field)) {
        throw new AssertionError(dir + "/kustomization.yaml uses '" + field + "', which this test cannot check");
      }
    }
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else {
        objects.addAll(readAll(path));
      }
    }
    for (JsonNode patch : kustomization.path("patches")) {
      apply(objects, dir.resolve(patch.path("path").asText()), patch.path("target"));
    }
    if (kustomization.has("namespace")) {
      for (ObjectNode object : objects) {
        if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
          ((ObjectNode) object.get("metadata")).put("namespace", kustomization.get("namespace").asText());
        }
      }
    }
    return objects;
  }

  /** The files of {@code dir} that its kustomization does not name. */
  static Set<Path> unlisted(Path dir) throws IOException {
    JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    Set<Path> listed = new HashSet<>();
    listed.add(dir.resolve("kustomization.yaml"));
    kustomization.path("resources").forEach(resource -> listed.add(dir.resolve(resource.asText()).normalize()));
    kustomization.path("patches").forEach(patch -> listed.add(dir.resolve(patch.path("path").asText()).normalize()));
    try (Stream<Path> files = Files.list(dir)) {
      return new HashSet<>(files.filter(Files::isRegularFile).filter(file -> !listed.contains(file.normalize())).toList());
    }
  }

  static List<ObjectNode> readAll(Path file) throws IOException {
    List<ObjectNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      Iterator<JsonNode> documents = YAML.readValues(parser, JsonNode.class);
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        if (!document.isObject() || !document.hasNonNull("kind") || !document.hasNonNull("apiVersion")
            || !document.path("metadata").hasNonNull("name")) {
          throw new AssertionError(file + ": a document without apiVersion, kind or metadata.name");
        }
        objects.add((ObjectNode) document);
      }
    }
    return objects;
  }

  private static void apply(List<ObjectNode> objects, Path patchFile, JsonNode target) throws IOException {
    JsonNode patch = YAML.readTree(patchFile.toFile());
    if (patch.isArray()) {
      boolean matched = false;
      for (int i = 0; i < objects.size(); i++) {
        if (matches(objects.get(i), target)) {
          objects.set(i, (ObjectNode) JsonPatch.apply((ArrayNode) patch, objects.get(i)));
          matched = true;
        }
      }
      if (!matched) {
        throw new AssertionError(patchFile + " patches nothing: no object matches " + target);
      }
    } else if ("delete".equals(patch.path("$patch").asText())) {
      boolean removed = objects.removeIf(object -> object.path("kind").equals(patch.path("kind"))
          && object.path("metadata").path("name").equals(patch.path("metadata").path("name")));
      if (!removed) {
        throw new AssertionError(patchFile + " deletes an object the resources do not have");
      }
    } else {
      throw new AssertionError(patchFile + ": only JSON 6902 and $patch: delete patches are checked here");
    }
  }

  private static boolean matches(ObjectNode object, JsonNode target) {
    if (target.has("kind") && !target.get("kind").asText().equals(object.path("kind").asText())) {
      return false;
    }
    if (target.has("name") && !target.get("name").asText().equals(object.path("metadata").path("name").asText())) {
      return false;
    }
    if (target.has("labelSelector")) {
      for (String term : target.get("labelSelector").asText().split(",")) {
        String[] pair = term.split("=", 2);
        if (!pair[1].trim().equals(object.path("metadata").path("labels").path(pair[0].trim()).asText(null))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Reads an object as the fabric8 model class of its kind. */
  static <T> T as(ObjectNode object, Class<T> type) {
    try {
      return YAML.treeToValue(object, type);
    } catch (IOException e) {
      throw new AssertionError(object.path("kind").asText() + " " + object.path("metadata").path("name").asText()
          + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  static Map<String, Class<?>> kinds() {
    return Map.ofEntries(
        Map.entry("Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
        Map.entry("ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
        Map.entry("ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
        Map.entry("Secret", io.fabric8.kubernetes.api.model.Secret.class),
        Map.entry("Service", io.fabric8.kubernetes.api.model.Service.class),
        Map.entry("Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
        Map.entry("RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
        Map.entry("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
        Map.entry("StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
        Map.entry("PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
        Map.entry("HorizontalPodAutoscaler", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class));
  }
}
