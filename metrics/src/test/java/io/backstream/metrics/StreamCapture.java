package io.backstream.metrics;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.List;

/** What a client of a {@link LiveStream} receives while something runs. */
final class StreamCapture {

    private static final String END = "end-of-capture";

    /** The events published while {@code action} ran, in order (a marker published after it says when all arrived). */
    static List<LiveStream.Event> of(LiveStream stream, Runnable action) {
        AssertSubscriber<LiveStream.Event> client = stream.subscribe().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        action.run();
        stream.publish(END, "{}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<LiveStream.Event> items = List.copyOf(client.getItems());
            if (!items.isEmpty() && items.get(items.size() - 1).name().equals(END)) {
                client.cancel();
                return items.subList(0, items.size() - 1);
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the stream did not deliver its end marker: " + items);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private StreamCapture() {}
}
