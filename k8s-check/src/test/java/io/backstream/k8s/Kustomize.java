package io.backstream.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subset of kustomize that k8s/ uses, in Java, so tests render the overlays without a kubectl binary:
 * {@code resources} (files and directories), {@code namespace}, {@code images} (newName/newTag),
 * {@code configMapGenerator} (files, no name hash), and {@code patches}: strategic-merge patches (maps merge,
 * {@code null} deletes, lists of containers/env/volumes/ports/volumeMounts of built-in kinds merge by key,
 * other lists are replaced) and JSON 6902 patches with a {@code target}. Anything else in a kustomization is
 * an error, never silently ignored; {@code KustomizeTest} compares the output with {@code kubectl kustomize}
 * where kubectl exists.
 */
final class Kustomize {

    static final ObjectMapper YAML = new YAMLMapper();
    private static final Set<String> KNOWN_KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
            "configMapGenerator", "images");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass");
    /** Strategic-merge keys of the built-in kinds' lists that k8s/ patches. */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

    private Kustomize() {}

    /** Renders the kustomization in {@code dir}, as {@code kubectl kustomize dir} does for this subset. */
    static List<ObjectNode> render(Path dir) {
        ObjectNode k = (ObjectNode) readAll(dir.resolve("kustomization.yaml")).get(0);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) throw new IllegalArgumentException(dir + ": kustomization key not supported here: " + key);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) out.addAll(render(p));
            else readAll(p).forEach(n -> out.add((ObjectNode) n));
        }
        for (JsonNode g : k.path("configMapGenerator")) out.add(configMap(dir, g));
        for (JsonNode patch : k.path("patches")) applyPatch(dir, patch, out);
        if (k.has("namespace")) {
            String ns = k.get("namespace").asText();
            for (ObjectNode o : out) {
                if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) ((ObjectNode) o.get("metadata")).put("namespace", ns);
            }
        }
        for (JsonNode image : k.path("images")) out.forEach(o -> setImages(o, image));
        return out;
    }

    static List<JsonNode> readAll(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                var it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode n = it.next();
                    if (n != null && !n.isNull() && !n.isMissingNode()) docs.add(n);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ObjectNode configMap(Path dir, JsonNode g) {
        if (!g.path("options").path("disableNameSuffixHash").asBoolean(false)) {
            throw new IllegalArgumentException(dir + ": configMapGenerator " + g.path("name") + " needs disableNameSuffixHash: true here");
        }
        ObjectNode cm = JsonNodeFactory.instance.objectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", g.get("name").asText());
        if (g.path("options").has("labels")) meta.set("labels", g.get("options").get("labels").deepCopy());
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : g.path("files")) {
            String spec = f.asText();
            String key = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : Path.of(spec).getFileName().toString();
            String path = spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec;
            try {
                data.put(key, Files.readString(dir.resolve(path)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cm;
    }

    private static void applyPatch(Path dir, JsonNode spec, List<ObjectNode> objects) {
        JsonNode patch;
        if (spec.has("path")) patch = readAll(dir.resolve(spec.get("path").asText())).get(0);
        else {
            try {
                patch = YAML.readTree(spec.get("patch").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonNode target = spec.path("target");
        int applied = 0;
        for (ObjectNode o : objects) {
            if (patch.isArray()) {
                if (target.isMissingNode()) throw new IllegalArgumentException(dir + ": a JSON 6902 patch needs a target");
                if (!matches(o, target)) continue;
                for (JsonNode op : patch) jsonPatch(o, op);
                applied++;
            } else {
                boolean same = o.path("kind").equals(patch.path("kind"))
                        && o.path("metadata").path("name").equals(patch.path("metadata").path("name"));
                if (!same || (!target.isMissingNode() && !matches(o, target))) continue;
                boolean builtIn = !o.path("apiVersion").asText().contains(".");
                merge(o, patch, builtIn);
                applied++;
            }
        }
        if (applied == 0) throw new IllegalArgumentException(dir + ": patch matches no object: " + spec);
    }

    private static boolean matches(ObjectNode o, JsonNode target) {
        String apiVersion = o.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (target.has("group") && !target.get("group").asText().equals(group)) return false;
        if (target.has("kind") && !target.get("kind").asText().equals(o.path("kind").asText())) return false;
        return !target.has("name") || Pattern.matches(target.get("name").asText(), o.path("metadata").path("name").asText());
    }

    /** Strategic merge of {@code patch} into {@code target}. */
    static void merge(ObjectNode target, JsonNode patch, boolean builtIn) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, value, builtIn);
            } else if (value.isArray() && existing != null && existing.isArray() && builtIn && MERGE_KEYS.containsKey(key)) {
                // as kustomize orders them: the patch's items (merged into their originals) first, then the rest
                String mergeKey = MERGE_KEYS.get(key);
                ArrayNode old = (ArrayNode) existing;
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                Set<JsonNode> patched = new java.util.HashSet<>();
                for (JsonNode item : value) {
                    ObjectNode merged = (ObjectNode) item.deepCopy();
                    for (JsonNode o : old) {
                        if (o.path(mergeKey).equals(item.path(mergeKey))) {
                            merged = (ObjectNode) o.deepCopy();
                            merge(merged, item, builtIn);
                        }
                    }
                    patched.add(item.path(mergeKey));
                    list.add(merged);
                }
                for (JsonNode o : old) if (!patched.contains(o.path(mergeKey))) list.add(o);
                target.set(key, list);
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void jsonPatch(ObjectNode o, JsonNode op) {
        String path = op.get("path").asText();
        int cut = path.lastIndexOf('/');
        JsonNode parent = o.at(path.substring(0, cut));
        String last = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
        String kind = op.get("op").asText();
        if (parent.isMissingNode()) throw new IllegalArgumentException("JSON patch path not found: " + path);
        if (parent.isObject()) {
            ObjectNode p = (ObjectNode) parent;
            switch (kind) {
                case "add" -> p.set(last, op.get("value").deepCopy());
                case "replace" -> {
                    if (!p.has(last)) throw new IllegalArgumentException("JSON patch replace of a missing " + path);
                    p.set(last, op.get("value").deepCopy());
                }
                case "remove" -> p.remove(last);
                default -> throw new IllegalArgumentException("JSON patch op not supported here: " + kind);
            }
        } else {
            ArrayNode a = (ArrayNode) parent;
            int index = last.equals("-") ? a.size() : Integer.parseInt(last);
            switch (kind) {
                case "add" -> a.insert(index, op.get("value").deepCopy());
                case "replace" -> a.set(index, op.get("value").deepCopy());
                case "remove" -> a.remove(index);
                default -> throw new IllegalArgumentException("JSON patch op not supported here: " + kind);
            }
        }
    }

    /** kustomize's images transformer: every containers[]/initContainers[] image named {@code image.name}. */
    private static void setImages(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue().isArray()) {
                    for (JsonNode c : e.getValue()) {
                        String ref = c.path("image").asText();
                        int at = ref.indexOf('@');
                        int colon = ref.lastIndexOf(':');
                        String name = at >= 0 ? ref.substring(0, at) : colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
                        String tag = at >= 0 ? ref.substring(at) : colon > ref.lastIndexOf('/') ? ref.substring(colon) : "";
                        if (!name.equals(image.path("name").asText())) continue;
                        String newName = image.has("newName") ? image.get("newName").asText() : name;
                        String newTag = image.has("newTag") ? ":" + image.get("newTag").asText() : tag;
                        ((ObjectNode) c).set("image", TextNode.valueOf(newName + newTag));
                    }
                } else {
                    setImages(e.getValue(), image);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> setImages(n, image));
        }
    }
}
