package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LiveStreamTest {

    @Test
    @DisplayName("a client that stops reading never blocks publishing: it keeps a bounded buffer, the rest is dropped for it alone")
    void slowClientDoesNotBlock() {
        LiveStream stream = new LiveStream();
        AssertSubscriber<LiveStream.Event> stuck = stream.subscribe().subscribe().withSubscriber(AssertSubscriber.create(1));
        AssertSubscriber<LiveStream.Event> fast = stream.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        // bursts of half a buffer: the reading client gets every event, the stuck one cannot hold them all
        int burst = LiveStream.CLIENT_BUFFER / 2, n = 6 * burst;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            stream.publish("step", "{\"i\":" + i + "}");
            if ((i + 1) % burst == 0) fast.awaitItems(i + 1, Duration.ofSeconds(10));
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "publishing did not wait");
        assertEquals("{\"i\":" + (n - 1) + "}", fast.getItems().get(n - 1).json());
        stuck.awaitItems(1, Duration.ofSeconds(10));
        stuck.request(Long.MAX_VALUE);
        stuck.awaitItems(1 + LiveStream.CLIENT_BUFFER - 1, Duration.ofSeconds(10));
        assertTrue(stuck.getItems().size() <= LiveStream.CLIENT_BUFFER, "at most a buffer's worth: " + stuck.getItems().size());
        assertEquals("{\"i\":0}", stuck.getItems().get(0).json(), "it gets the oldest events it had room for");
    }
}
