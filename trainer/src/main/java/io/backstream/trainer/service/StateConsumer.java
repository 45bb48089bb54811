package io.backstream.trainer.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** runs.state → a run of this trainer that another service declared FAILED fails here too. */
@ApplicationScoped
class StateConsumer {
    private static final Logger LOG = Logger.getLogger(StateConsumer.class);

    @Inject
    Runs runs;

    @Incoming("states-in")
    void consume(String json) {
        if (json == null) return; // a tombstone of the compacted topic
        try {
            runs.adopt(RunState.parse(json));
        } catch (MalformedRecordException | IllegalArgumentException e) {
            LOG.warnf("ignoring a runs.state record: %s", e.getMessage());
        }
    }
}
