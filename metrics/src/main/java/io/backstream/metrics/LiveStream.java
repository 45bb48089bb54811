package io.backstream.metrics;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Flow;

/**
 * A hot stream of the events the listeners publish, for {@code /api/stream}. Publishing never
 * waits for a client: each subscriber has a bounded buffer ({@code CLIENT_BUFFER} events), and
 * what arrives while it is full is dropped for that client alone. (A burst larger than the buffer,
 * e.g. the replay at startup, can drop events even for a client that reads; the whole loss history
 * is {@code /api/runs/{runId}/loss}'s job.)
 */
@ApplicationScoped
public class LiveStream {

    /** One event: its SSE name ("step", "epoch", "evaluation") and its JSON. */
    public record Event(String name, String json) {}

    static final int CLIENT_BUFFER = 1024;

    private final Flow.Processor<Event, Event> processor = BroadcastProcessor.<Event>create().serialized();
    private final Multi<Event> hot = Multi.createFrom().publisher(processor);

    /** Sends an event to every connected client (safe from any thread). */
    public void publish(String name, String json) {
        processor.onNext(new Event(name, json));
    }

    /** The stream from now on, for one client: drops what does not fit in its buffer. */
    public Multi<Event> subscribe() {
        return hot.onOverflow().drop().emitOn(Infrastructure.getDefaultExecutor(), CLIENT_BUFFER);
    }

}
