package io.backstream.metrics;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * GET /api/stream: the loss and evaluation events from now on, as server-sent events named
 * "step", "epoch" or "evaluation" whose data is the event's JSON (the contract's). Every epoch
 * summary and evaluation (each (runId, step) once); of a run's steps, the latest ~25 times a
 * second ({@link LossListener}). In a browser:
 * {@code new EventSource("/api/stream").addEventListener("step", e => JSON.parse(e.data))}.
 */
@Path("/api/stream")
public class StreamResource {

    private final LiveStream stream;

    public StreamResource(LiveStream stream) {
        this.stream = stream;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        return stream.subscribe().map(e -> sse.newEventBuilder().name(e.name()).data(e.json())
                .mediaType(MediaType.TEXT_PLAIN_TYPE).build());
    }
}
