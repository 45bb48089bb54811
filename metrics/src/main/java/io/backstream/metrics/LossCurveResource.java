package io.backstream.metrics;

import io.backstream.events.Json;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * GET /api/runs/{runId}/loss?maxPoints=N: the run's step-loss curve, thinned on the server to at
 * most N points (default 2000) by min/max bucketing.
 *
 * <pre>{"runId":"run-1","total":50000,"steps":[1,…],"loss":[2.30,…]}</pre>
 *
 * Non-finite losses are the strings "NaN", "Infinity", "-Infinity", as in every event.
 */
@Path("/api/runs/{runId}/loss")
public class LossCurveResource {

    public record Curve(String runId, int total, long[] steps, float[] loss) {}

    private final Runs runs;

    public LossCurveResource(Runs runs) {
        this.runs = runs;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response loss(@PathParam("runId") String runId, @QueryParam("maxPoints") @DefaultValue("2000") int maxPoints) {
        if (maxPoints < 2) return error(Response.Status.BAD_REQUEST, "maxPoints: must be >= 2, got " + maxPoints);
        LossCurve curve = runs.curve(runId);
        if (curve == null) return error(Response.Status.NOT_FOUND, "run " + runId + ": no loss events seen");
        int total;
        Downsampler.Points p;
        synchronized (curve) {
            total = curve.size();
            p = curve.downsample(maxPoints);
        }
        return Response.ok(Json.write(new Curve(runId, total, p.steps(), p.losses()))).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Json.write(java.util.Map.of("error", message))).build();
    }
}
