package io.backstream.metrics;

import io.backstream.events.Json;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * GET /api/curves?maxPoints=N: everything the dashboard draws, for every run this service knows, in
 * one answer: each run's step-loss curve thinned to at most N points (default 1000), its running
 * loss per epoch, its test accuracy per scored snapshot and its latest step ({@link RunCurves}).
 * The live stream ({@code /api/stream}) carries what comes after.
 *
 * <pre>{"runs":[{"runId":"run-1","optimizer":"adam","lr":0.001,"batchSize":1,"epoch":2,"step":2500,
 *   "lastLoss":1.9,"imagesPerSecond":700.0,"loss":{"runId":"run-1","total":2500,"steps":[…],"loss":[…]},
 *   "epochs":{"epoch":[1],"runningLoss":[4585.5],"meanLoss":[2.29],"imagesPerSecond":[690.0]},
 *   "evaluations":{"step":[500,…],"accuracy":[0.24,…],"testLoss":[2.28,…]}}]}</pre>
 */
@Path("/api/curves")
public class CurvesResource {

    private final Runs runs;

    public CurvesResource(Runs runs) {
        this.runs = runs;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response curves(@QueryParam("maxPoints") @DefaultValue("1000") int maxPoints) {
        if (maxPoints < 2) return ErrorResponse.of(Response.Status.BAD_REQUEST, "maxPoints: must be >= 2, got " + maxPoints);
        return Response.ok(Json.write(Map.of("runs", runs.curves(maxPoints)))).build();
    }
}
