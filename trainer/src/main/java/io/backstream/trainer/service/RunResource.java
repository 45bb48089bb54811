package io.backstream.trainer.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunSpec;
import io.backstream.trainer.service.auth.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The control API: create runs, list and inspect them, pause/resume/stop them, download their weights.
 * Reads are open; every call that changes something needs the {@code operator} role (an API token or
 * a JWT, see {@link io.backstream.trainer.service.auth.AuthSettings}); the class-level default makes a
 * new method without annotations need it too.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class RunResource {

    @Inject
    Runs runs;

    /** Creates a run from a JSON {@link RunSpec}; 201 {"id": ...} with its Location, 400 {"errors": [...]}. */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String spec, UriInfo uri) {
        return created(runs.create(settings(spec), null), uri);
    }

    /** Creates a run from a multipart form: {@code spec} (the JSON) and {@code init} (an ONNX model to start from). */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response createWithInit(@RestForm("spec") String spec, @RestForm("init") FileUpload init, UriInfo uri) {
        if (spec == null) throw new InvalidSpecException("spec: missing form part (the RunSpec JSON, {} for every default)");
        RunSettings settings = settings(spec);
        return created(runs.create(settings, init == null ? null : read(init)), uri);
    }

    @GET
    @PermitAll
    public List<RunView> list() {
        return runs.list().stream().map(RunView::of).toList();
    }

    @GET
    @PermitAll
    @Path("{id}")
    public RunView get(@PathParam("id") String id) {
        return RunView.of(runs.get(id));
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Path("{id}/pause")
    public RunView pause(@PathParam("id") String id) {
        return RunView.of(runs.pause(id), runs.get(id));
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Path("{id}/resume")
    public RunView resume(@PathParam("id") String id) {
        return RunView.of(runs.resume(id), runs.get(id));
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Path("{id}/stop")
    public RunView stop(@PathParam("id") String id) {
        return RunView.of(runs.stop(id), runs.get(id));
    }

    /** The run's latest weights as ONNX. */
    @GET
    @PermitAll
    @Path("{id}/model.onnx")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response model(@PathParam("id") String id) {
        byte[] onnx = runs.get(id).trainer().onnx();
        return Response.ok(onnx, MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", "attachment; filename=\"" + id + ".onnx\"").build();
    }

    private static RunSettings settings(String json) {
        RunSpec spec;
        try {
            spec = RunSpec.parse(json);
        } catch (MalformedRecordException e) {
            throw new InvalidSpecException(e.getMessage());
        }
        return RunSettings.of(spec);
    }

    private static byte[] read(FileUpload upload) {
        try {
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded init model", e);
        }
    }

    private static Response created(Run run, UriInfo uri) {
        return Response.created(uri.getAbsolutePathBuilder().path(run.id()).build()).entity(Map.of("id", run.id())).build();
    }
}
