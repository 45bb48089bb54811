import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load on a running metrics service: step events on training.loss at a fixed rate, one send each (as
 * the trainer publishes at batch size 1), in transactions committed every {@code --tx-ms} (the
 * trainer's commit interval; 0: no transactions), while one client reads /api/stream. Reports the
 * service's CPU over the window after the warm-up (utime + stime from /proc/PID/stat), the stream's
 * latency (receipt minus the event's timestamp) and whether every run's backstream_steps_total
 * reached its last step.
 *
 * <pre>
 * java -cp "metrics/target/quarkus-app/lib/main/*" bench/MetricsLoad.java --pid=PID [--port=8083] [--rate=300]
 *      [--warmup=30] [--seconds=30] [--runs=1] [--tx-ms=25] [--no-client]
 * </pre>
 *
 * Start the service with {@code -Dmp.messaging.incoming.loss.auto.offset.reset=latest} so it does not
 * replay the topic's history first.
 */
public class MetricsLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            o.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        long pid = Long.parseLong(o.get("pid"));
        int port = Integer.parseInt(o.getOrDefault("port", "8083"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "300"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        int runCount = Integer.parseInt(o.getOrDefault("runs", "1"));
        int txMs = Integer.parseInt(o.getOrDefault("tx-ms", "25"));
        boolean client = !o.containsKey("no-client");
        String bootstrap = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String prefix = "run-load-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < runCount; i++) runs.add(prefix + "-" + i);

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long[] measureFrom = {Long.MAX_VALUE};
        if (client) {
            Thread sse = new Thread(() -> readStream(port, prefix, latencies, measureFrom), "sse");
            sse.setDaemon(true);
            sse.start();
            Thread.sleep(1000);
        }

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        if (txMs > 0) p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix);
        long step = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            if (txMs > 0) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            long start = System.nanoTime(), committed = start, sent = 0, total = (long) rate * (warmup + seconds);
            long cpuAt = 0, cpuFrom = 0;
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                for (; sent < due; sent++) {
                    String run = runs.get((int) (sent % runCount));
                    if (sent % runCount == 0) step++;
                    String json = new StepLoss(run, 1, step, 2.3 / Math.sqrt(step), "sgd", 0.001, 1, 1000, System.currentTimeMillis()).toJson();
                    producer.send(new ProducerRecord<>(Topics.TRAINING_LOSS, run, json));
                }
                if (txMs > 0 && (System.nanoTime() - committed >= txMs * 1_000_000L || sent == total)) {
                    producer.commitTransaction();
                    committed = System.nanoTime();
                    if (sent < total) producer.beginTransaction();
                }
                if (cpuAt == 0 && sent >= (long) rate * warmup) {
                    cpuAt = System.nanoTime();
                    cpuFrom = cpuTicks(pid);
                    measureFrom[0] = System.currentTimeMillis();
                }
                Thread.sleep(1);
            }
            producer.flush();
            double wall = (System.nanoTime() - cpuAt) / 1e9;
            double cpu = (cpuTicks(pid) - cpuFrom) / 100.0;   // USER_HZ = 100
            System.out.printf(Locale.ROOT, "rate=%d/s runs=%d tx=%s window=%.1fs cpu=%.2fs => %.1f%% of a core (%.0f us/event)%n",
                    rate, runCount, txMs > 0 ? txMs + "ms" : "none", wall, cpu, 100 * cpu / wall, 1e6 * cpu / (wall * rate));
        }
        Thread.sleep(1000);
        if (client) {
            synchronized (latencies) {
                Collections.sort(latencies);
                int n = latencies.size();
                if (n == 0) System.out.println("stream: no step events of ours received");
                else System.out.printf(Locale.ROOT, "stream: %d step events in the window, latency p50=%d ms p99=%d ms max=%d ms%n",
                        n, latencies.get(n / 2), latencies.get(Math.min(n - 1, n * 99 / 100)), latencies.get(n - 1));
            }
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int complete = 0;
        for (String run : runs) {
            Matcher m = Pattern.compile("(?m)^backstream_steps_total\\{[^}]*run=\"" + Pattern.quote(run) + "\"[^}]*\\} (\\S+)$").matcher(metrics);
            if (m.find() && Double.parseDouble(m.group(1)) == step) complete++;
        }
        System.out.printf("series: %d of %d runs at their last step (%d)%n", complete, runCount, step);
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime
    }

    static void readStream(int port, String prefix, List<Long> latencies, long[] measureFrom) {
        Pattern timestamp = Pattern.compile("\"timestamp\":(\\d+)");
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stream"))
                    .header("Accept", "text/event-stream").build();
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
                if (!line.startsWith("data:") || !line.contains(prefix)) return;
                long now = System.currentTimeMillis();
                Matcher m = timestamp.matcher(line);
                if (m.find() && Long.parseLong(m.group(1)) >= measureFrom[0]) latencies.add(now - Long.parseLong(m.group(1)));
            });
        } catch (Exception e) {
            System.err.println("stream: " + e);
        }
    }
}
