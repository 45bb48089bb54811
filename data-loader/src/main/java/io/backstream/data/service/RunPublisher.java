package io.backstream.data.service;

import io.backstream.data.EpochOrder;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.RunProgress;
import io.backstream.events.RunSpec;
import io.backstream.events.Topics;
import java.io.IOException;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * One run's publishing, on its own thread: read and validate the dataset (FAILED on runs.state if
 * it cannot be read, and nothing published), publish its test split once, then every epoch's
 * batches on training.batches (key runId), each only when its {@link RunGate} allows it. A run
 * recovered after a loader restart starts from the batch after the trainer's committed position.
 */
final class RunPublisher implements Runnable {

    /** Bytes a run may have sent but not yet acknowledged: ~20 batches of 256 images. */
    static final long MAX_IN_FLIGHT_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(RunPublisher.class);

    private final String runId;
    private final RunSpec spec;
    /** The trainer's committed position to resume after, or null to start from the first batch. */
    private final RunProgress after;
    private final RunGate gate;
    private final DatasetResolver datasets;
    private final TestSetPublisher testSets;
    private final RunStates states;
    private final Producer<String, byte[]> producer;

    RunPublisher(String runId, RunSpec spec, RunProgress after, RunGate gate, DatasetResolver datasets,
                 TestSetPublisher testSets, RunStates states, Producer<String, byte[]> producer) {
        this.runId = runId;
        this.spec = spec;
        this.after = after;
        this.gate = gate;
        this.datasets = datasets;
        this.testSets = testSets;
        this.states = states;
        this.producer = producer;
    }

    @Override
    public void run() {
        try {
            DatasetResolver.Resolved data;
            try {
                data = datasets.resolve(spec.dataset());
            } catch (IOException | RuntimeException e) {   // DatasetFormatException names file and offset
                fail("dataset " + (spec.dataset() == null ? RunSpec.SYNTHETIC : spec.dataset()) + ": " + e.getMessage());
                return;
            }
            if (gate.isStopped()) return;
            if (data.test() != null) testSets.publishOnce(data.id(), data.test());
            EpochBatches batches = new EpochBatches(runId, data.train(), orDefault(spec.batchSize(), RunSpec.DEFAULT_BATCH_SIZE),
                    orDefault(spec.epochs(), RunSpec.DEFAULT_EPOCHS),
                    spec.shuffleSeed() == null ? EpochOrder.fileOrder() : EpochOrder.shuffled(spec.shuffleSeed()));
            if (after != null && after.step() > 0) {
                if (after.batches() != batches.batchesPerEpoch()) {
                    fail("cannot resume: the trainer is at " + after.batches() + " batches per epoch, the dataset now gives "
                            + batches.batchesPerEpoch());
                    return;
                }
                batches.skipTo(after.nextEpoch(), after.nextIndex());
            }
            publishBatches(batches);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.infof("run %s: publishing interrupted (shutdown)", runId);
        } catch (PublishFailedException e) {
            fail("publishing batches: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s: publisher failed", runId);
            fail("data-loader: " + e);
        }
    }

    private void publishBatches(EpochBatches batches) throws InterruptedException {
        OrderedSender sender = new OrderedSender(producer, MAX_IN_FLIGHT_BYTES);
        LOG.infof("run %s: publishing batches %d..%d (%d per epoch)", runId, batches.nextNumber(), batches.total(),
                batches.batchesPerEpoch());
        for (long n = batches.nextNumber(); batches.hasNext(); n++) {
            if (!gate.mayPublish(n)) {
                sender.awaitAll();              // about to wait: nothing stays unconfirmed meanwhile
                if (!gate.awaitTurn(n)) {
                    LOG.infof("run %s: stopped after %d of %d batches (%s)", runId, n - 1, batches.total(), gate.stoppedReason());
                    return;
                }
            }
            Batch batch = batches.next();
            sender.send(Topics.TRAINING_BATCHES, runId, BatchCodec.encode(batch), batch.toString());
        }
        sender.awaitAll();
        LOG.infof("run %s: published through its last batch (%d)", runId, batches.total());
    }

    private void fail(String reason) {
        gate.stop("FAILED");
        states.failed(runId, spec, reason);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
