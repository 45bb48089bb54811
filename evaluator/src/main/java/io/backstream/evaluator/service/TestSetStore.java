package io.backstream.evaluator.service;

import io.backstream.events.Batch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Test sets by dataset id: those still being assembled and those complete. Both are bounded (a
 * CIFAR-10 test set is 30 MB): the least recently used is forgotten first. Not thread-safe.
 *
 * <p>Once a dataset is complete, further chunks for it are duplicates (the loader publishes a
 * dataset once per process, so another loader process repeats it). While assembling, a chunk that
 * says the set has a different number of chunks starts the assembly over: a newer publication wins.
 */
final class TestSetStore {

    private static final Logger LOG = Logger.getLogger(TestSetStore.class);

    private final Map<String, TestSet> complete;
    private final Map<String, TestSetAssembly> assembling;

    TestSetStore(int maxComplete, int maxAssembling) {
        this.complete = lru(maxComplete);
        this.assembling = lru(maxAssembling);
    }

    /** The complete test set of this dataset, or null. */
    TestSet get(String datasetId) {
        return complete.get(datasetId);
    }

    /** Adds a chunk; returns the test set if this chunk completed it, else null. */
    TestSet add(Batch chunk) {
        String id = chunk.runId();
        if (complete.containsKey(id)) return null;
        TestSetAssembly a = assembling.get(id);
        if (a != null && a.chunks() != chunk.batches()) {
            LOG.warnf("test set %s: chunk says %d chunks, assembly has %d; starting over", id, chunk.batches(), a.chunks());
            a = null;
        }
        if (a == null) {
            a = new TestSetAssembly(id, chunk.batches());
            assembling.put(id, a);
        }
        if (!a.add(chunk) || !a.complete()) return null;
        assembling.remove(id);
        TestSet set = a.build();
        if (set == null) {
            LOG.warnf("test set %s: chunks do not line up (firstRecord gaps); waiting for a new publication", id);
            return null;
        }
        complete.put(id, set);
        LOG.infof("test set %s complete: %d images in %d chunks", id, set.count(), a.chunks());
        return set;
    }

    private static <V> Map<String, V> lru(int max) {
        if (max < 1) throw new IllegalArgumentException("bound must be >= 1, got " + max);
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
