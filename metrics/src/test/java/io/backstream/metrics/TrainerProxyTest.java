package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrainerProxyTest {

    @Test
    @DisplayName("a trainer nobody listens for is a 502 naming its URL, in the trainer's error shape")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // free once closed: nothing listens there
        }
        TrainerProxy proxy = new TrainerProxy(URI.create("http://127.0.0.1:" + port + "/"));
        Response r = proxy.forward("GET", "/api/runs", null, name -> null).toCompletableFuture().get();
        assertEquals(502, r.getStatus());
        String body = (String) r.getEntity();
        assertTrue(body.startsWith("{\"errors\":[\"the trainer at http://127.0.0.1:" + port + " is unreachable"), body);
    }
}
