package io.backstream.data.service;

import io.backstream.data.CifarDataset;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.Cifar10;
import io.backstream.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Publishes a dataset's test split on dataset.testset (key = dataset id, chunks of 256, epoch 0)
 * once per dataset id per loader process. Runs that start together on one dataset share the one
 * publication; a failed one is forgotten, so the next run tries again.
 */
@ApplicationScoped
public class TestSetPublisher {

    static final int CHUNK = 256;
    private static final Logger LOG = Logger.getLogger(TestSetPublisher.class);

    @Inject
    BinaryProducer producer;

    private final ConcurrentHashMap<String, CompletableFuture<Void>> published = new ConcurrentHashMap<>();

    /** Publishes (or waits for the publication already under way); false if it failed. */
    public boolean publishOnce(String datasetId, CifarDataset test) throws InterruptedException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> existing = published.putIfAbsent(datasetId, mine);
        if (existing == null) {
            try {
                publish(datasetId, test);
                mine.complete(null);
            } catch (RuntimeException | InterruptedException e) {   // PublishFailedException included
                published.remove(datasetId, mine);
                mine.completeExceptionally(e);
                if (e instanceof InterruptedException) throw (InterruptedException) e;
            }
        }
        try {
            (existing == null ? mine : existing).get();
            return true;
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "test set of %s not published", datasetId);
            return false;
        }
    }

    private void publish(String datasetId, CifarDataset test) throws InterruptedException {
        int total = chunkCount(test);
        OrderedSender sender = new OrderedSender(producer.producer(), 16L * 1024 * 1024);
        for (int c = 0; c < total; c++) {
            sender.send(Topics.DATASET_TESTSET, datasetId, BatchCodec.encode(chunk(datasetId, test, c)),
                    "test-set chunk " + c + " of " + datasetId);
        }
        sender.awaitAll();
        LOG.infof("test set of %s published: %d images in %d chunks", datasetId, test.size(), total);
    }

    static int chunkCount(CifarDataset test) {
        return (test.size() + CHUNK - 1) / CHUNK;
    }

    /** Chunk {@code c} as the contract cuts the test split: 256 images in file order, the last chunk smaller. */
    static Batch chunk(String datasetId, CifarDataset test, int c) {
        int first = c * CHUNK;
        int count = Math.min(CHUNK, test.size() - first);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * Cifar10.IMAGE_BYTES];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) test.label(first + i);
            test.copyImage(first + i, pixels, i * Cifar10.IMAGE_BYTES);
        }
        return Batch.testSetChunk(datasetId, c, chunkCount(test), first, labels, pixels);
    }
}
