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
 * most N points (default 2000) by min/max bucketing. {@code &from=S&to=T} (steps, both included,
 * either may be left out) thin only that part of the curve: a chart zoomed in on it gets as many
 * points there as it had for the whole.
 *
 * <pre>{"runId":"run-1","total":50000,"steps":[1,…],"loss":[2.30,…]}</pre>
 *
 * {@code total} is the number of points of the whole curve.
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
    public Response loss(@PathParam("runId") String runId, @QueryParam("maxPoints") @DefaultValue("2000") int maxPoints,
                         @QueryParam("from") Long from, @QueryParam("to") Long to) {
        if (maxPoints < 2) return ErrorResponse.of(Response.Status.BAD_REQUEST, "maxPoints: must be >= 2, got " + maxPoints);
        if (from != null && to != null && from > to) return ErrorResponse.of(Response.Status.BAD_REQUEST, "from (" + from + ") is after to (" + to + ")");
        LossCurve curve = runs.curve(runId);
        if (curve == null) return ErrorResponse.of(Response.Status.NOT_FOUND, "run " + runId + ": no loss events seen");
        return Response.ok(Json.write(curve(runId, curve, maxPoints, from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to)))
                .build();
    }

    /** The curve between two steps (both included), at most {@code maxPoints} points of it. */
    static Curve curve(String runId, LossCurve curve, int maxPoints, long from, long to) {
        synchronized (curve) {
            Downsampler.Points p = curve.downsample(maxPoints, from, to);
            return new Curve(runId, curve.size(), p.steps(), p.losses());
        }
    }
}
