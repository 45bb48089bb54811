package io.backstream.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered object is a kind we know (Kubernetes, Prometheus Operator, Strimzi v1beta2), parses into
 * its typed model (fabric8 kubernetes-model, Strimzi's api classes) with no field the model does not have
 * (a misspelt key lands in additionalProperties and fails here), and holds together: names are DNS-1123,
 * selectors select, every referenced volume, port, ConfigMap and Secret exists or is documented.
 */
class ManifestShapeTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class));

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** Secrets the manifests use that are not in them: Strimzi writes the first two kinds, people the last. */
    private static final String CLUSTER_CA = "backstream-cluster-ca-cert";
    private static final String API_TOKENS = "backstream-api-tokens";

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyObjectParsesIntoItsModelWithNoUnknownField(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        for (ObjectNode o : K8s.render(overlay)) {
            String type = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
            String id = type + " " + o.at("/metadata/name").asText();
            Class<?> cls = KINDS.get(type);
            if (cls == null) {
                problems.add(id + ": unknown apiVersion/kind");
                continue;
            }
            Object typed;
            try {
                typed = JSON.treeToValue(o, cls);
            } catch (Exception e) {
                problems.add(id + ": " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            unknownFields(typed, id, problems, new IdentityHashMap<>());
            String name = o.at("/metadata/name").asText();
            boolean label = type.startsWith("v1/Service") || type.equals("v1/Namespace") || o.path("kind").asText().equals("StatefulSet");
            if (!(label ? DNS_LABEL : DNS_SUBDOMAIN).matcher(name).matches() || name.length() > (label ? 63 : 253)) {
                problems.add(id + ": not a valid object name");
            }
            if (!o.path("kind").asText().equals("Namespace") && !o.at("/metadata/namespace").asText().equals("backstream")) {
                problems.add(id + ": not in namespace backstream");
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void workloadsHoldTogether(String overlay) {
        Set<String> configMaps = names(overlay, "ConfigMap");
        Set<String> pvcs = names(overlay, "PersistentVolumeClaim");
        Set<String> userSecrets = names(overlay, "KafkaUser");
        for (String service : K8s.SERVICES.keySet()) {
            ObjectNode w = K8s.workload(overlay, service);
            JsonNode template = w.at("/spec/template");
            JsonNode selector = w.at("/spec/selector/matchLabels");
            assertFalse(selector.isEmpty(), service + " has a selector");
            selector.fields().forEachRemaining(e -> assertEquals(e.getValue(), template.at("/metadata/labels").get(e.getKey()),
                    service + ": the selector selects its own pods"));
            assertEquals("backstream", template.at("/metadata/labels/app.kubernetes.io~1part-of").asText(),
                    service + ": pods carry part-of=backstream (network policies and Kafka's listener rely on it)");
            Set<String> volumes = new HashSet<>();
            for (JsonNode v : template.at("/spec/volumes")) {
                volumes.add(v.path("name").asText());
                if (v.has("persistentVolumeClaim")) {
                    assertTrue(pvcs.contains(v.at("/persistentVolumeClaim/claimName").asText()), service + ": its PVC exists");
                }
                if (v.has("secret")) {
                    String s = v.at("/secret/secretName").asText();
                    assertTrue(s.equals(CLUSTER_CA) || s.equals(API_TOKENS) || userSecrets.contains(s), service + ": secret " + s);
                }
                if (v.has("configMap")) assertTrue(configMaps.contains(v.at("/configMap/name").asText()), service + ": configMap volume");
            }
            for (JsonNode c : template.at("/spec/containers")) {
                assertFalse(c.path("image").asText().isEmpty(), service + ": image");
                for (JsonNode m : c.path("volumeMounts")) {
                    assertTrue(volumes.contains(m.path("name").asText()), service + ": mount " + m.path("name") + " has a volume");
                }
                Set<String> portNames = new HashSet<>();
                c.path("ports").forEach(p -> portNames.add(p.path("name").asText()));
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    JsonNode port = c.at("/" + probe + "/httpGet/port");
                    assertTrue(port.isTextual() && portNames.contains(port.asText()), service + ": " + probe + " names a container port");
                }
                for (JsonNode e : c.path("env")) {
                    JsonNode ref = e.at("/valueFrom/secretKeyRef");
                    if (ref.isMissingNode()) continue;
                    String s = ref.path("name").asText();
                    String key = ref.path("key").asText();
                    if (s.equals(CLUSTER_CA)) assertEquals("ca.password", key);
                    else if (userSecrets.contains(s)) assertEquals("sasl.jaas.config", key, service + ": a KafkaUser secret's key");
                    else fail(service + ": secret " + s + " is neither a KafkaUser's nor the cluster CA's");
                }
                for (JsonNode from : c.path("envFrom")) {
                    String cm = from.at("/configMapRef/name").asText();
                    assertTrue(configMaps.contains(cm) || from.at("/configMapRef/optional").asBoolean(), service + ": envFrom " + cm);
                }
            }
        }
        // Services and PodMonitors select pods of the manifests, by a port those pods name
        for (ObjectNode s : K8s.ofKind(overlay, "Service")) {
            assertTrue(selectsAWorkload(overlay, s.at("/spec/selector"), s.at("/spec/ports/0/targetPort").asText()),
                    "Service " + s.at("/metadata/name").asText() + " selects a pod with its target port");
        }
        for (ObjectNode m : K8s.ofKind(overlay, "PodMonitor")) {
            JsonNode labels = m.at("/spec/selector/matchLabels");
            if (labels.has("strimzi.io/cluster")) {
                assertEquals("backstream", labels.get("strimzi.io/cluster").asText());
                continue;
            }
            assertTrue(selectsAWorkload(overlay, labels, m.at("/spec/podMetricsEndpoints/0/port").asText()),
                    "PodMonitor " + m.at("/metadata/name").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void strimziObjectsBelongToTheCluster(String overlay) {
        ObjectNode kafka = K8s.object(overlay, "Kafka", "backstream");
        assertEquals("enabled", kafka.at("/metadata/annotations/strimzi.io~1kraft").asText());
        assertEquals("enabled", kafka.at("/metadata/annotations/strimzi.io~1node-pools").asText());
        for (String kind : List.of("KafkaNodePool", "KafkaTopic", "KafkaUser")) {
            for (ObjectNode o : K8s.ofKind(overlay, kind)) {
                assertEquals("backstream", o.at("/metadata/labels/strimzi.io~1cluster").asText(), kind + " " + o.at("/metadata/name"));
            }
        }
        int brokers = 0;
        boolean controller = false;
        for (ObjectNode pool : K8s.ofKind(overlay, "KafkaNodePool")) {
            List<String> roles = new ArrayList<>();
            pool.at("/spec/roles").forEach(r -> roles.add(r.asText()));
            if (roles.contains("broker")) brokers += pool.at("/spec/replicas").asInt();
            controller |= roles.contains("controller");
        }
        assertTrue(controller, "a KRaft controller pool");
        JsonNode config = kafka.at("/spec/kafka/config");
        assertTrue(config.path("message.max.bytes").asLong() >= 16L * 1024 * 1024, "brokers take 16 MB records (README, Kafka)");
        for (String rf : List.of("default.replication.factor", "offsets.topic.replication.factor", "transaction.state.log.replication.factor")) {
            assertTrue(config.path(rf).asInt() <= brokers, rf + " <= brokers");
        }
        for (ObjectNode t : K8s.ofKind(overlay, "KafkaTopic")) {
            assertTrue(t.at("/spec/replicas").asInt() <= brokers, "topic replicas <= brokers");
        }
        assertTrue(config.path("transaction.state.log.min.isr").asInt() <= config.path("transaction.state.log.replication.factor").asInt());
        assertTrue(config.path("min.insync.replicas").asInt() <= config.path("default.replication.factor").asInt());
        JsonNode tls = null;
        for (JsonNode l : kafka.at("/spec/kafka/listeners")) if (l.path("port").asInt() == 9093) tls = l;
        assertNotNull(tls, "the TLS listener on 9093");
        assertTrue(tls.path("tls").asBoolean());
        assertEquals("scram-sha-512", tls.at("/authentication/type").asText());
        ObjectNode client = K8s.object(overlay, "ConfigMap", "backstream-kafka-client");
        assertEquals("backstream-kafka-bootstrap:9093", client.at("/data/BACKSTREAM_KAFKA_BOOTSTRAP").asText());
        assertEquals("SASL_SSL", client.at("/data/KAFKA_SECURITY_PROTOCOL").asText());
        assertEquals("SCRAM-SHA-512", client.at("/data/KAFKA_SASL_MECHANISM").asText());
    }

    private static boolean selectsAWorkload(String overlay, JsonNode labels, String portName) {
        for (String service : K8s.SERVICES.keySet()) {
            JsonNode template = K8s.workload(overlay, service).at("/spec/template");
            boolean all = true;
            for (var it = labels.fields(); it.hasNext(); ) {
                var e = it.next();
                all &= e.getValue().equals(template.at("/metadata/labels").get(e.getKey()));
            }
            if (!all) continue;
            for (JsonNode c : template.at("/spec/containers")) {
                for (JsonNode p : c.path("ports")) if (p.path("name").asText().equals(portName)) return true;
            }
        }
        return false;
    }

    private static Set<String> names(String overlay, String kind) {
        Set<String> s = new HashSet<>();
        K8s.ofKind(overlay, kind).forEach(o -> s.add(o.at("/metadata/name").asText()));
        return s;
    }

    /** Every model object reachable from {@code o} has an empty additionalProperties map. */
    private static void unknownFields(Object o, String where, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) return;
        if (o instanceof Collection<?> c) {
            c.forEach(x -> unknownFields(x, where, problems, seen));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.values().forEach(x -> unknownFields(x, where, problems, seen));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) return;
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) continue;
            String name = method.getName();
            if (!name.startsWith("get") || name.equals("getClass")) continue;
            Object value;
            try {
                value = method.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties") && value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                problems.add(where + ": unknown field(s) " + extra.keySet() + " in " + o.getClass().getSimpleName());
            } else if (!name.equals("getAdditionalProperties")) {
                unknownFields(value, where, problems, seen);
            }
        }
    }
}
