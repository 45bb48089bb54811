package io.backstream.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java renderer against the real kustomize (where kubectl is installed), and its refusals. */
class KustomizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void rendersLikeKubectlKustomize(String overlay) throws Exception {
        Path kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl not installed: the Java rendering is not cross-checked");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", K8s.overlay(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kubectl kustomize failed");
        Path file = Files.createTempFile("kustomize-" + overlay, ".yaml");
        try {
            Files.write(file, out);
            Map<String, JsonNode> real = byId(Kustomize.readAll(file).stream().map(n -> (ObjectNode) n).toList());
            Map<String, JsonNode> ours = byId(K8s.render(overlay));
            assertEquals(real.keySet(), ours.keySet(), overlay + ": the same objects");
            for (String id : real.keySet()) assertEquals(real.get(id), ours.get(id), overlay + ": " + id);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void refusesWhatItDoesNotImplement(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir));
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches:\n  - patch: |-\n"
                + "      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: other}\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir), "a patch that matches nothing");
    }

    @Test
    void strategicMergeByKeyAndDeletion(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [d.yaml]\npatches: [{path: p.yaml}]\n"
                + "images: [{name: x/app, newTag: '2'}]\nnamespace: ns\n");
        Files.writeString(dir.resolve("d.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: a, image: x/app, env: [{name: A, value: "1"}, {name: B, value: "2"}]}
                      volumes: [{name: v, emptyDir: {}}]
                """);
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: a, env: [{name: B, value: "3"}, {name: C, value: "4"}]}
                      volumes: [{name: v, emptyDir: null, persistentVolumeClaim: {claimName: c}}]
                """);
        List<ObjectNode> out = Kustomize.render(dir);
        JsonNode spec = out.get(0).at("/spec/template/spec");
        assertEquals("[{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"},{\"name\":\"A\",\"value\":\"1\"}]",
                spec.at("/containers/0/env").toString());
        assertEquals("x/app:2", spec.at("/containers/0/image").asText());
        assertFalse(spec.at("/volumes/0").has("emptyDir"));
        assertEquals("c", spec.at("/volumes/0/persistentVolumeClaim/claimName").asText());
        assertEquals("ns", out.get(0).at("/metadata/namespace").asText());
    }

    private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (ObjectNode o : objects) {
            String id = o.path("apiVersion").asText() + "/" + o.path("kind").asText() + "/" + o.at("/metadata/namespace").asText()
                    + "/" + o.at("/metadata/name").asText();
            if (m.put(id, o) != null) throw new AssertionError("two objects " + id);
        }
        return m;
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
