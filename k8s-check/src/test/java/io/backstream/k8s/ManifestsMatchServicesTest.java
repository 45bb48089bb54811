package io.backstream.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backstream.events.TopicSetup;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests agree with what the services themselves say: ports, probes, topics, env keys, ACLs, images, series. */
class ManifestsMatchServicesTest {

    /** Environment variables read by something other than a Quarkus config key. */
    private static final Set<String> PROCESS_ENV = Set.of(
            "OMP_NUM_THREADS",    // OpenMP in libnd4j (the trainer's native kernels)
            "JAVA_TOOL_OPTIONS"); // the JVM itself

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void containerPortsAndProbesAreTheServicesOwn(String overlay) {
        for (String service : K8s.SERVICES.keySet()) {
            Properties props = K8s.appProperties(service);
            JsonNode c = K8s.container(overlay, service);
            assertEquals(Integer.parseInt(props.getProperty("quarkus.http.port")), c.at("/ports/0/containerPort").asInt(),
                    overlay + ": " + service + "'s container port is its quarkus.http.port");
            assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText(), service);
            assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText(), service);
            assertEquals("/q/health/started", c.at("/startupProbe/httpGet/path").asText(), service);
            String pom = K8s.read(K8s.ROOT.resolve(service).resolve("pom.xml"));
            assertTrue(pom.contains("<artifactId>quarkus-smallrye-health</artifactId>"), service + " serves /q/health/*");
            assertTrue(pom.contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>"), service + " serves /q/metrics");
            ObjectNode monitor = K8s.object(overlay, "PodMonitor", service);
            assertEquals("/q/metrics", monitor.at("/spec/podMetricsEndpoints/0/path").asText());
            assertEquals(service, monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
            // the trainer listens on 127.0.0.1 unless told otherwise: probes and the Service would never reach it
            String host = props.getProperty("quarkus.http.host");
            if (host != null) {
                Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):").matcher(host);
                assertTrue(m.find(), service + ": quarkus.http.host must be settable from the environment");
                assertEquals("0.0.0.0", K8s.env(overlay, c).get(m.group(1)), service + " listens on every interface");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyTopicOfTopicSetupAndNoOtherWithTheSameSettings(String overlay) {
        Map<String, TopicSetup.Definition> expected = new TreeMap<>();
        TopicSetup.DEFINITIONS.forEach(d -> expected.put(d.name(), d));
        Map<String, JsonNode> actual = new TreeMap<>();
        for (ObjectNode t : K8s.ofKind(overlay, "KafkaTopic")) {
            String name = t.at("/spec/topicName").asText(t.at("/metadata/name").asText());
            assertTrue(actual.put(name, t) == null, "one KafkaTopic per topic: " + name);
        }
        assertEquals(expected.keySet(), actual.keySet(), overlay + ": KafkaTopics = TopicSetup.DEFINITIONS");
        for (TopicSetup.Definition d : expected.values()) {
            JsonNode t = actual.get(d.name());
            assertEquals(d.partitions(), t.at("/spec/partitions").asInt(), d.name() + " partitions");
            Map<String, String> config = new TreeMap<>();
            t.at("/spec/config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertEquals(new TreeMap<>(d.configs()), config, overlay + ": " + d.name() + " configs");
        }
    }

    @Test
    void servicesLeaveTopicsToTheOperator() {
        for (String overlay : K8s.OVERLAYS) {
            for (String service : K8s.SERVICES.keySet()) {
                boolean reads = configNames(service).contains("backstream.kafka.setup-topics");
                Map<String, String> env = K8s.env(overlay, K8s.container(overlay, service));
                if (reads) assertEquals("false", env.get("BACKSTREAM_KAFKA_SETUP_TOPICS"), overlay + ": " + service);
            }
        }
        assertTrue(configNames("trainer").contains("backstream.kafka.setup-topics"), "the trainer is the one that sets topics up");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyEnvironmentVariableIsOneTheServiceReads(String overlay) {
        Set<String> kafkaKeys = new HashSet<>();
        kafkaKeys.addAll(ProducerConfig.configNames());
        kafkaKeys.addAll(ConsumerConfig.configNames());
        kafkaKeys.addAll(AdminClientConfig.configNames());
        List<String> problems = new ArrayList<>();
        for (String service : K8s.SERVICES.keySet()) {
            for (Map.Entry<String, String> e : K8s.env(overlay, K8s.container(overlay, service)).entrySet()) {
                String name = e.getKey();
                if (PROCESS_ENV.contains(name)) continue;
                // Quarkus's default-kafka-broker map: KAFKA_X_Y -> kafka.x.y, for every client of the service
                if (name.startsWith("KAFKA_") && kafkaKeys.contains(name.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'))) continue;
                if (!readThrough(service, name)) problems.add(service + ": " + name);
            }
        }
        assertTrue(problems.isEmpty(), overlay + ": environment variables no service reads:\n" + String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void threadsMatchCpuLimitsAndMemoryFits(String overlay) {
        JsonNode trainer = K8s.container(overlay, "trainer");
        Map<String, String> env = K8s.env(overlay, trainer);
        assertEquals(trainer.at("/resources/limits/cpu").asText(), env.get("OMP_NUM_THREADS"), "trainer: OMP_NUM_THREADS = CPU limit");
        JsonNode evaluator = K8s.container(overlay, "evaluator");
        assertEquals(evaluator.at("/resources/limits/cpu").asText(), K8s.env(overlay, evaluator).get("BACKSTREAM_EVALUATOR_INTRA_OP_THREADS"),
                "evaluator: ONNX Runtime threads = CPU limit");
        long limit = bytes(trainer.at("/resources/limits/memory").asText());
        Matcher m = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.maxphysicalbytes=(\\d+[kmg]?)").matcher(env.get("JAVA_TOOL_OPTIONS"));
        assertTrue(m.find(), "trainer: javacpp's maxphysicalbytes is set");
        assertTrue(bytes(m.group(1)) < limit, "trainer: maxphysicalbytes below the memory limit (an OOM kill instead of an error)");
        for (String service : K8s.SERVICES.keySet()) {
            JsonNode c = K8s.container(overlay, service);
            assertEquals(c.at("/resources/requests/memory"), c.at("/resources/limits/memory"), service + ": memory request = limit");
            assertFalse(c.at("/resources/limits/cpu").isMissingNode(), service + ": a CPU limit");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void singleInstanceServicesStaySingle(String overlay) {
        ObjectNode trainer = K8s.workload(overlay, "trainer");
        assertEquals(1, trainer.at("/spec/replicas").asInt(), "one trainer per instance id");
        JsonNode instance = null;
        for (JsonNode e : K8s.container(overlay, "trainer").path("env")) {
            if (e.path("name").asText().equals("BACKSTREAM_TRAINER_INSTANCE")) instance = e;
        }
        assertEquals("metadata.name", instance.at("/valueFrom/fieldRef/fieldPath").asText(), "instance id = pod name");
        assertTrue(K8s.appProperties("trainer").getProperty("backstream.trainer.instance").contains("${BACKSTREAM_TRAINER_INSTANCE"));
        ObjectNode loader = K8s.workload(overlay, "data-loader");
        assertEquals(1, loader.at("/spec/replicas").asInt(), "one data-loader");
        assertEquals("Recreate", loader.at("/spec/strategy/type").asText(), "never two loaders during an update");
        // a replacement pod (another name) rejoins its consumer groups at once only as the same static member
        Properties loaderProps = K8s.appProperties("data-loader");
        for (String key : loaderProps.stringPropertyNames()) {
            Matcher channel = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic").matcher(key);
            if (channel.matches()) {
                assertEquals("backstream-${backstream.loader.instance}",
                        loaderProps.getProperty("mp.messaging.incoming." + channel.group(1) + ".group.instance.id"),
                        "the loader's channel " + channel.group(1) + " is a static group member");
            }
        }
        assertFalse(K8s.env(overlay, K8s.container(overlay, "data-loader")).containsKey("BACKSTREAM_LOADER_INSTANCE"),
                "the loader's instance is the same constant for every pod, not the pod name");
        JsonNode dataMount = null;
        for (JsonNode m : K8s.container(overlay, "data-loader").path("volumeMounts")) {
            if (m.path("name").asText().equals("datasets")) dataMount = m;
        }
        assertEquals("/data", dataMount.path("mountPath").asText());
        assertTrue(K8s.env(overlay, K8s.container(overlay, "data-loader")).get("JAVA_TOOL_OPTIONS").contains("-Dbackstream.home=/data"),
                "synthetic data is generated under the datasets volume");
        assertTrue(K8s.read(K8s.ROOT.resolve("data-loader/src/main/java/io/backstream/data/service/DatasetResolver.java"))
                .contains("System.getProperty(\"backstream.home\""), "the loader's home is the system property backstream.home");
    }

    @Test
    void imagesAreNamedInOnePlaceAtTheProjectVersion() throws Exception {
        String version = K8s.projectVersion().replace("-SNAPSHOT", "");
        JsonNode kustomization = Kustomize.readAll(K8s.DIR.resolve("base/kustomization.yaml")).get(0);
        Map<String, String> images = new TreeMap<>();
        kustomization.path("images").forEach(i -> images.put(i.path("name").asText(), i.path("newTag").asText()));
        Map<String, String> expected = new TreeMap<>();
        K8s.SERVICES.keySet().forEach(s -> expected.put("backstream/" + s, version));
        assertEquals(expected, images, "base/kustomization.yaml images: backstream/<service> at the project version");
        for (String overlay : K8s.OVERLAYS) {
            for (ObjectNode o : K8s.render(overlay)) {
                for (JsonNode c : o.at("/spec/template/spec/containers")) {
                    String image = c.path("image").asText();
                    assertEquals("backstream/" + c.path("name").asText() + ":" + version, image, overlay + ": " + o.at("/metadata/name"));
                }
            }
        }
        for (String service : K8s.SERVICES.keySet()) {
            String pom = K8s.read(K8s.ROOT.resolve(service).resolve("pom.xml"));
            assertTrue(pom.contains("<quarkus.container-image.name>" + service + "</quarkus.container-image.name>"),
                    service + "'s images profile builds backstream/" + service);
        }
        String parent = K8s.read(K8s.ROOT.resolve("pom.xml"));
        assertTrue(parent.contains("<quarkus.container-image.group>backstream</quarkus.container-image.group>"));
        assertTrue(parent.contains("<quarkus.container-image.tag>" + version + "</quarkus.container-image.tag>"),
                "the images profile tags the project version");
    }

    /**
     * The dashboard's control calls leave the metrics pods for {@code backstream.trainer.url}: it must name the
     * trainer's Service and port, and the network policies must let metrics out to the trainer's pods and the
     * trainer's pods take them in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void metricsReachesTheTrainerApi(String overlay) {
        assertTrue(K8s.appProperties("metrics").getProperty("backstream.trainer.url").contains("${BACKSTREAM_TRAINER_URL"),
                "metrics takes the trainer's URL from the environment");
        java.net.URI url = java.net.URI.create(K8s.env(overlay, K8s.container(overlay, "metrics")).get("BACKSTREAM_TRAINER_URL"));
        ObjectNode service = K8s.object(overlay, "Service", url.getHost());
        assertEquals("trainer", service.at("/spec/selector/app.kubernetes.io~1name").asText(), url + " is the trainer's Service");
        assertEquals(url.getPort(), service.at("/spec/ports/0/port").asInt(), url + ": the Service's port");
        int trainerPort = K8s.container(overlay, "trainer").at("/ports/0/containerPort").asInt();
        boolean egress = false;
        boolean ingress = false;
        for (ObjectNode policy : K8s.ofKind(overlay, "NetworkPolicy")) {
            String selected = policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText();
            for (JsonNode rule : policy.at("/spec/egress")) {
                egress |= selected.equals("metrics") && peers(rule.path("to")).contains("trainer") && allows(rule, trainerPort);
            }
            for (JsonNode rule : policy.at("/spec/ingress")) {
                ingress |= selected.equals("trainer") && peers(rule.path("from")).contains("metrics") && allows(rule, trainerPort);
            }
        }
        assertTrue(egress, overlay + ": a NetworkPolicy lets metrics pods reach trainer pods on " + trainerPort);
        assertTrue(ingress, overlay + ": a NetworkPolicy lets trainer pods accept metrics pods on " + trainerPort);
    }

    /** The app.kubernetes.io/name of the pods a rule's peers select (same namespace). */
    private static Set<String> peers(JsonNode peers) {
        Set<String> names = new TreeSet<>();
        for (JsonNode p : peers) {
            if (p.has("namespaceSelector")) continue;
            names.add(p.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
        }
        return names;
    }

    /** Whether a rule's ports include the container port (by number or by the name "http"). */
    private static boolean allows(JsonNode rule, int containerPort) {
        for (JsonNode port : rule.path("ports")) {
            JsonNode p = port.path("port");
            if (p.asText().equals("http") || p.asInt() == containerPort) return true;
        }
        return false;
    }

    /** Each service's KafkaUser allows what its channels and hand-built clients do, and nothing on other topics. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaUsersAllowWhatEachServiceDoes(String overlay) {
        Map<String, String> topicConstants = new HashMap<>();
        Matcher tm = Pattern.compile("public static final String ([A-Z_]+) = \"([a-z.]+)\"")
                .matcher(K8s.read(K8s.ROOT.resolve("events/src/main/java/io/backstream/events/Topics.java")));
        while (tm.find()) topicConstants.put(tm.group(1), tm.group(2));
        for (String service : K8s.SERVICES.keySet()) {
            ObjectNode user = K8s.object(overlay, "KafkaUser", "backstream-" + service);
            Set<String> reads = new TreeSet<>();
            Set<String> writes = new TreeSet<>();
            Set<String> groups = new TreeSet<>();
            Properties props = K8s.appProperties(service);
            for (String key : props.stringPropertyNames()) {
                Matcher m = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic").matcher(key);
                if (m.matches()) (m.group(1).equals("incoming") ? reads : writes).add(props.getProperty(key));
                Matcher g = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id").matcher(key);
                if (g.matches()) groups.add(props.getProperty(key).replace("${quarkus.uuid}", "0f0e0d0c"));
            }
            // hand-built clients name topics through Topics constants: each needs some ACL (direction checked above)
            Set<String> named = new TreeSet<>();
            for (String src : K8s.mainSources(service)) {
                for (String c : K8s.all(Pattern.compile("Topics\\.([A-Z_]+)"), src, 1)) {
                    if (topicConstants.containsKey(c)) named.add(topicConstants.get(c));
                }
            }
            Map<String, Set<String>> topicOps = new TreeMap<>();
            List<JsonNode> groupAcls = new ArrayList<>();
            List<JsonNode> txAcls = new ArrayList<>();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                Set<String> ops = new TreeSet<>();
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                switch (acl.at("/resource/type").asText()) {
                    case "topic" -> {
                        assertEquals("literal", acl.at("/resource/patternType").asText(), service + ": topic ACLs name one topic");
                        topicOps.computeIfAbsent(acl.at("/resource/name").asText(), k -> new TreeSet<>()).addAll(ops);
                    }
                    case "group" -> groupAcls.add(acl);
                    case "transactionalId" -> txAcls.add(acl);
                    default -> throw new AssertionError(service + ": unexpected ACL " + acl);
                }
            }
            for (String t : reads) assertTrue(topicOps.getOrDefault(t, Set.of()).contains("Read"), overlay + ": " + service + " reads " + t);
            for (String t : writes) assertTrue(topicOps.getOrDefault(t, Set.of()).contains("Write"), overlay + ": " + service + " writes " + t);
            for (String t : named) assertTrue(topicOps.containsKey(t), overlay + ": " + service + "'s code uses " + t);
            Set<String> used = new TreeSet<>(reads);
            used.addAll(writes);
            used.addAll(named);
            assertEquals(used, topicOps.keySet(), overlay + ": " + service + " has ACLs for exactly the topics it uses");
            // deleteRecords needs Delete on the topic: the trainer purges its batches (BatchPurge), nobody else deletes
            boolean deletes = K8s.mainSources(service).stream().anyMatch(s -> s.contains("deleteRecords("));
            Set<String> deletable = new TreeSet<>();
            topicOps.forEach((topic, ops) -> {
                if (ops.contains("Delete")) deletable.add(topic);
            });
            assertEquals(deletes ? Set.of(topicConstants.get("TRAINING_BATCHES")) : Set.of(), deletable,
                    overlay + ": " + service + " may delete records exactly where its code does");
            for (String group : groups) {
                assertTrue(groupAcls.stream().anyMatch(a -> covers(a, group) && a.toString().contains("Read")),
                        overlay + ": " + service + " may use group " + group);
            }
            boolean transactional = K8s.mainSources(service).stream().anyMatch(s -> s.contains("TRANSACTIONAL_ID_CONFIG"));
            assertEquals(transactional, !txAcls.isEmpty(), service + ": a transactional-id ACL exactly when it is transactional");
            if (transactional) {
                // transactional.id = backstream-trainer-<instance>, the instance being the pod name
                assertTrue(txAcls.stream().anyMatch(a -> covers(a, "backstream-trainer-trainer-0") && a.toString().contains("Write")));
            }
        }
    }

    /** Every backstream_* series the alerts and the dashboard use is a meter the services register. */
    @Test
    void alertsAndDashboardUseSeriesTheServicesExport() throws Exception {
        Set<String> exported = new TreeSet<>();
        for (String module : List.of("trainer", "data-loader", "evaluator", "metrics")) {
            for (String src : K8s.mainSources(module)) {
                for (String meter : K8s.all(Pattern.compile("\"(backstream(\\.[a-z]+)+)\""), src, 1)) {
                    String base = meter.replace('.', '_');
                    exported.addAll(List.of(base, base + "_total", base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max"));
                }
            }
        }
        ObjectNode rule = K8s.object("production", "PrometheusRule", "backstream");
        String dashboard = K8s.object("production", "ConfigMap", "backstream-grafana-dashboard").at("/data/backstream-dashboard.json").asText();
        JsonNode board = new ObjectMapper().readTree(dashboard);
        assertFalse(board.path("uid").asText().isEmpty());
        assertFalse(board.path("panels").isEmpty());
        Set<String> used = new TreeSet<>();
        Pattern series = Pattern.compile("\\b(backstream_[a-z_]+)\\b");
        for (JsonNode group : rule.at("/spec/groups")) {
            for (JsonNode r : group.path("rules")) used.addAll(K8s.all(series, r.path("expr").asText(), 1));
        }
        for (JsonNode panel : board.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                assertFalse(t.path("expr").asText().isBlank(), "panel " + panel.path("title") + " has a query");
                used.addAll(K8s.all(series, t.path("expr").asText(), 1));
            }
        }
        used.removeIf(s -> s.equals("backstream_") || s.startsWith("backstream_io"));
        assertFalse(used.isEmpty());
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), "series no service exports: " + unknown);
        for (String needed : List.of("backstream_loss", "backstream_accuracy", "backstream_images_per_second", "backstream_steps_total")) {
            assertTrue(dashboard.contains(needed), "the dashboard shows " + needed);
        }
        assertTrue(dashboard.contains("kafka_consumergroup_lag"), "the dashboard shows consumer lag");
        String alerts = rule.toString();
        for (String alert : List.of("BackstreamLossNotFinite", "BackstreamNoProgress", "BackstreamRunNotStarted", "BackstreamConsumerLagGrowing",
                "BackstreamEvaluatorNotScoring", "BackstreamServiceDown")) {
            assertTrue(alerts.contains("\"" + alert + "\""), "alert " + alert);
        }
    }

    /**
     * Whether a config key the service names takes its value from environment variable {@code name}, by
     * SmallRye Config itself (as Quarkus resolves it): directly (BACKSTREAM_KAFKA_SETUP_TOPICS for
     * backstream.kafka.setup-topics) or through a ${VAR} expression of application.properties. The variable
     * gets a value no key could have by coincidence.
     */
    private static boolean readThrough(String service, String name) {
        String value = "sentinel-" + name.toLowerCase(Locale.ROOT) + "-" + System.nanoTime();
        Map<String, String> app = new HashMap<>();
        Properties props = K8s.appProperties(service);
        props.stringPropertyNames().forEach(k -> app.put(k, props.getProperty(k)));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${...} expansion, as in Quarkus
                .withSources(new EnvConfigSource(Map.of(name, value), 300))
                .withSources(new PropertiesConfigSource(app, "application.properties", 250))
                .build();
        for (String key : configNames(service)) {
            try {
                if (config.getOptionalValue(key, String.class).filter(value::equals).isPresent()) return true;
            } catch (RuntimeException unresolvable) { // ${quarkus.uuid} and the like
            }
        }
        return false;
    }

    private static boolean covers(JsonNode acl, String name) {
        String pattern = acl.at("/resource/name").asText();
        return acl.at("/resource/patternType").asText().equals("prefix") ? name.startsWith(pattern) : name.equals(pattern);
    }

    /** Config keys a service names: application.properties keys, property-name literals in its code and in events. */
    private static Set<String> configNames(String service) {
        Set<String> names = new TreeSet<>(K8s.appProperties(service).stringPropertyNames());
        Pattern literal = Pattern.compile("\"((backstream|quarkus|mp)\\.[a-z0-9.-]+)\"");
        for (String module : List.of(service, "events")) {
            for (String src : K8s.mainSources(module)) names.addAll(K8s.all(literal, src, 1));
        }
        return names;
    }

    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|m|g)?").matcher(quantity);
        if (!m.matches()) throw new IllegalArgumentException(quantity);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki", "k" -> n << 10;
            case "Mi", "m" -> n << 20;
            case "Gi", "g" -> n << 30;
            default -> n;
        };
    }
}
