package io.backstream.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository, its k8s/ overlays rendered once, and the services' own configuration. */
final class K8s {

    static final Path ROOT = Path.of(System.getProperty("backstream.root", "..")).toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("k8s");
    static final List<String> OVERLAYS = List.of("local", "production");
    /** Service module = container name = image name; its workload kind. */
    static final Map<String, String> SERVICES = Map.of("trainer", "StatefulSet", "data-loader", "Deployment",
            "evaluator", "Deployment", "metrics", "Deployment");

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private K8s() {}

    static Path overlay(String name) {
        return DIR.resolve("overlays").resolve(name);
    }

    static List<ObjectNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> List.copyOf(Kustomize.render(overlay(o))));
    }

    static List<ObjectNode> ofKind(String overlay, String kind) {
        return render(overlay).stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static ObjectNode object(String overlay, String kind, String name) {
        return ofKind(overlay, kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    static ObjectNode workload(String overlay, String service) {
        return object(overlay, SERVICES.get(service), service);
    }

    static ObjectNode container(String overlay, String service) {
        for (JsonNode c : workload(overlay, service).at("/spec/template/spec/containers")) {
            if (c.path("name").asText().equals(service)) return (ObjectNode) c;
        }
        throw new AssertionError(overlay + ": " + service + " has no container named " + service);
    }

    /** A service's application.properties without profile-specific (%test...) entries. */
    static Properties appProperties(String module) {
        Properties all = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            all.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> p.setProperty(k, all.getProperty(k)));
        return p;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text of every .java file under a module's src/main/java, but the trainer's command line (cli/, not the service). */
    static List<String> mainSources(String module) {
        Path src = ROOT.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/cli/")).map(K8s::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all(Pattern pattern, String text, int group) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) out.add(m.group(group));
        return out;
    }

    /** The root pom's project version. */
    static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>backstream-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read(ROOT.resolve("pom.xml")));
        if (!m.find()) throw new AssertionError("no version in pom.xml");
        return m.group(1);
    }

    /** env name → value, or "valueFrom" for references; envFrom ConfigMaps resolved in the overlay. */
    static Map<String, String> env(String overlay, JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.path("configMapRef").path("name").asText(null);
            if (cm == null) throw new AssertionError("only configMapRef envFrom is expected: " + from);
            boolean optional = from.path("configMapRef").path("optional").asBoolean(false);
            render(overlay).stream()
                    .filter(o -> o.path("kind").asText().equals("ConfigMap") && o.path("metadata").path("name").asText().equals(cm))
                    .findFirst()
                    .ifPresentOrElse(o -> o.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText())),
                            () -> {
                                if (!optional) throw new AssertionError(overlay + ": envFrom ConfigMap " + cm + " is not in the manifests");
                            });
        }
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.get("value").asText() : "valueFrom");
        }
        return env;
    }
}
