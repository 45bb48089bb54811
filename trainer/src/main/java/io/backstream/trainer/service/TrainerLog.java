package io.backstream.trainer.service;

import io.backstream.events.KafkaConnection;
import io.backstream.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Everything the trainer's runs publish, in Kafka transactions: loss events, snapshots, states,
 * checkpoints, dead letters and, in each transaction, every changed run's {@code RunProgress}.
 *
 * <p>One transactional producer per trainer instance ({@code transactional.id} = prefix + instance):
 * a restarted instance's {@code initTransactions()} fences its predecessor and aborts whatever that
 * one left open, before anything is read back. Runs publish a step's records while holding the
 * shared side of a lock; {@link #commit()} takes the exclusive side, asks every participant for its
 * position, writes those and commits, so a transaction never ends in the middle of a step.
 *
 * <p>When a commit fails (the broker went away, say), the transaction is aborted, the producer is
 * rebuilt once the broker answers, the {@link #generation()} moves on, and every participant is told
 * to roll back to what was last committed ({@link Participant#aborted()}).
 */
final class TrainerLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrainerLog.class);

    /** A run taking part in the transactions. */
    interface Participant {
        /** Its position to commit (called under the exclusive lock), or null if nothing changed since the last commit. */
        byte[] progressToCommit();

        /** The transaction holding everything published so far was committed. */
        void committed();

        /** It was aborted: everything since the last commit is gone. */
        void aborted();

        String runId();
    }

    private final KafkaConnection kafka;
    private final String transactionalId;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile long generation;
    private boolean open;
    private long openedAt;
    private volatile boolean closed;
    // how long commits hold the log (runs' publishes wait meanwhile), for the workers' end-of-run lines
    private long commits;
    private long commitNanos;
    private long longestCommitNanos;

    TrainerLog(KafkaConnection kafka, String transactionalId) {
        this.kafka = kafka;
        this.transactionalId = transactionalId;
    }

    /** Creates the producer and fences any predecessor; waits until the broker answers. */
    void start() {
        producer = connect();
    }

    long generation() {
        return generation;
    }

    void join(Participant p) {
        participants.add(p);
    }

    void leave(Participant p) {
        participants.remove(p);
    }

    /** What became of a publish. */
    enum Sent {
        /** Sent in the open transaction; the run's position moved with it. */
        SENT,
        /** Not sent: a commit holds the log; nothing changed (only {@link #tryPublish} answers this). */
        BUSY,
        /** Not sent: the generation is stale, the run must roll back first. */
        STALE
    }

    /**
     * A step's records, published atomically with respect to commits: {@code andThen} (the run moving
     * its position to commit) runs under the same lock, so a commit holds both or neither. Waits
     * while a commit holds the log.
     */
    Sent publish(long generation, List<ProducerRecord<String, byte[]>> records, Runnable andThen) {
        lock.readLock().lock();
        return sendLocked(generation, records, andThen);
    }

    /**
     * As {@link #publish}, but answers {@link Sent#BUSY} at once if a commit holds the log: a run keeps
     * training and sends its records with its next step's, instead of waiting out the commit's round
     * trip to the broker (a commit takes milliseconds; a step at batch size 1, about one).
     */
    Sent tryPublish(long generation, List<ProducerRecord<String, byte[]>> records, Runnable andThen) {
        if (!lock.readLock().tryLock()) return Sent.BUSY;
        return sendLocked(generation, records, andThen);
    }

    /** Sends under the read lock the caller took, and releases it. */
    private Sent sendLocked(long generation, List<ProducerRecord<String, byte[]>> records, Runnable andThen) {
        try {
            if (generation != this.generation || closed) return Sent.STALE;
            synchronized (this) {
                if (!open) {
                    producer.beginTransaction();
                    open = true;
                    openedAt = System.nanoTime();
                }
            }
            for (ProducerRecord<String, byte[]> r : records) producer.send(r);
            andThen.run();
            return Sent.SENT;
        } catch (KafkaException e) {
            LOG.warnf("publishing failed (%s); the transaction will be aborted", e.toString());
            andThen.run();
            return Sent.SENT; // the commit fails and rolls everyone back
        } finally {
            lock.readLock().unlock();
        }
    }

    /** E.g. "412 commits, mean 3.1 ms, longest 40.2 ms": how long commits held the log so far. */
    synchronized String commitSummary() {
        return String.format(java.util.Locale.ROOT, "%,d commits, mean %.1f ms, longest %.1f ms",
                commits, commits == 0 ? 0 : commitNanos / 1e6 / commits, longestCommitNanos / 1e6);
    }

    /** Milliseconds the current transaction has been open, or -1 if none is. */
    synchronized long openMillis() {
        return open ? (System.nanoTime() - openedAt) / 1_000_000 : -1;
    }

    /**
     * Commits what is open, with every participant's position. On failure aborts, rebuilds the producer
     * (waiting for the broker) and tells every participant to roll back.
     *
     * @return true if committed (or nothing was open), false if aborted
     */
    boolean commit() {
        lock.writeLock().lock();
        long t0 = System.nanoTime();
        try {
            if (closed) return false;
            try {
                for (Participant p : participants) {
                    byte[] progress = p.progressToCommit();
                    if (progress == null) continue;
                    if (!open) {
                        producer.beginTransaction();
                        open = true;
                    }
                    producer.send(new ProducerRecord<>(Topics.RUNS_PROGRESS, p.runId(), progress));
                }
                if (!open) return true;
                producer.commitTransaction();
                long took = System.nanoTime() - t0;
                synchronized (this) {
                    commits++;
                    commitNanos += took;
                    longestCommitNanos = Math.max(longestCommitNanos, took);
                }
                open = false;
                for (Participant p : participants) p.committed();
                return true;
            } catch (ProducerFencedException e) {
                closed = true;
                LOG.errorf("another trainer instance took over %s: this one stops publishing", transactionalId);
                throw e;
            } catch (KafkaException e) {
                LOG.warnf("commit failed (%s): aborting, rolling every run back to its last commit", e.toString());
                abortAndReconnect();
                return false;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void abortAndReconnect() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the producer is rebuilt below either way
        }
        producer.close(java.time.Duration.ZERO);
        open = false;
        generation++;
        for (Participant p : participants) p.aborted();
        producer = connect();
    }

    private KafkaProducer<String, byte[]> connect() {
        long backoff = 500;
        while (true) {
            KafkaProducer<String, byte[]> p = new KafkaProducer<>(properties(), new StringSerializer(), new ByteArraySerializer());
            try {
                p.initTransactions();
                LOG.infof("transactions ready as %s on %s", transactionalId, kafka.bootstrap());
                return p;
            } catch (KafkaException e) {
                p.close(java.time.Duration.ZERO);
                if (closed) throw e;
                LOG.warnf("cannot start transactions on %s yet (%s); retrying in %d ms", kafka.bootstrap(), e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", ie);
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private Properties properties() {
        Properties p = kafka.properties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, io.backstream.events.TopicSetup.LARGE_RECORDS);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a transaction left open by a crashed instance blocks read_committed readers until it times out
        // or the next instance fences it: keep the timeout short
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        // a send right after a commit can meet the previous transaction's markers still being written
        // (CONCURRENT_TRANSACTIONS, retriable): at the default 100 ms backoff that stalled training
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "100");
        return p;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            if (producer != null) producer.close(java.time.Duration.ofSeconds(5));
        } finally {
            lock.writeLock().unlock();
        }
    }
}
