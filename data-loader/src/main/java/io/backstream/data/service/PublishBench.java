package io.backstream.data.service;

import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.EpochOrder;
import io.backstream.data.Split;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * How fast the loader can publish when the trainer keeps up (no window): N batches of B images of
 * the bundled synthetic data, built, encoded and sent as a run publishes them (same producer
 * settings, same in-order acknowledgement), to a bench topic rather than training.batches.
 *
 * <pre>java -cp … io.backstream.data.service.PublishBench [batches=200] [batchSize=256] [topic=backstream.bench.loader]</pre>
 *
 * Prints {@code loader publish images_per_s=<x>}; the clock runs from the first batch built to the
 * last acknowledgement, after a warm-up of a tenth as many batches.
 */
public final class PublishBench {

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        String topic = args.length > 2 ? args[2] : "backstream.bench.loader";
        String bootstrap = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        Path home = Path.of(System.getProperty("backstream.home", ".")).toAbsolutePath();
        CifarDataset train = CifarDatasets.open(BundledData.ensure(home.resolve("work").resolve("data")).train(), Split.TRAIN);

        shortRetention(bootstrap, topic);
        try (KafkaProducer<String, byte[]> producer = ProducerSettings.create(io.backstream.events.KafkaConnection.of(bootstrap), "backstream-publish-bench")) {
            publish(producer, topic, train, Math.max(1, batches / 10), batchSize);   // warm-up: JIT, connections, topic
            long images = 0;
            long start = System.nanoTime();
            images += publish(producer, topic, train, batches, batchSize);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("loader publish images_per_s=%.0f%n", images / seconds);
            System.out.printf("  (%d batches of %d, %.1f MB in %.2f s)%n", batches, batchSize,
                    (double) batches * BatchCodec.encodedBytes("bench-00000000", batchSize) / 1e6, seconds);
        }
    }

    /** Publishes {@code batches} batches of a fresh run; returns the images sent. */
    private static long publish(KafkaProducer<String, byte[]> producer, String topic, CifarDataset train, int batches,
                                int batchSize) throws InterruptedException {
        String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        int perEpoch = (train.size() + batchSize - 1) / batchSize;
        EpochBatches source = new EpochBatches(runId, train, batchSize, (batches + perEpoch - 1) / perEpoch, EpochOrder.shuffled(7));
        OrderedSender sender = new OrderedSender(producer, RunPublisher.MAX_IN_FLIGHT_BYTES);
        long images = 0;
        for (int n = 0; n < batches; n++) {
            Batch batch = source.next();
            sender.send(topic, runId, BatchCodec.encode(batch), batch.toString());
            images += batch.count();
        }
        sender.awaitAll();
        return images;
    }

    /** The bench topic lives on a shared broker: create it (or trim it) to keep an hour of data. */
    private static void shortRetention(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, String> config = Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(ProducerSettings.MAX_REQUEST_BYTES));
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()).configs(config))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                admin.incrementalAlterConfigs(Map.of(resource, config.entrySet().stream()
                        .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                        .toList())).all().get();
            }
        }
    }

    private PublishBench() {
    }
}
