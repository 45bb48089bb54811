package io.backstream.events;

/**
 * An instruction to the trainer about one run, on {@link Topics#RUNS_CONTROL}.
 *
 * <pre>{"type":"START","runId":…,"spec":{…},"timestamp":1700000000000}
 * {"type":"PAUSE","runId":…,"spec":null,"timestamp":1700000000000}</pre>
 *
 * @param spec the run to start: required for START, null for the others (they act on the running spec)
 * @param timestamp when the command was issued, epoch milliseconds
 */
public record RunCommand(Type type, String runId, RunSpec spec, long timestamp) {

    public enum Type { START, PAUSE, RESUME, STOP }

    public RunCommand {
        Checks.required("type", type);
        Checks.required("runId", runId);
        if (type == Type.START && spec == null) throw new IllegalArgumentException("spec: required for START");
        if (type != Type.START && spec != null) throw new IllegalArgumentException("spec: only START carries a spec, this is " + type);
    }

    public static RunCommand start(String runId, RunSpec spec, long timestamp) {
        return new RunCommand(Type.START, runId, spec, timestamp);
    }

    public static RunCommand pause(String runId, long timestamp) {
        return new RunCommand(Type.PAUSE, runId, null, timestamp);
    }

    public static RunCommand resume(String runId, long timestamp) {
        return new RunCommand(Type.RESUME, runId, null, timestamp);
    }

    public static RunCommand stop(String runId, long timestamp) {
        return new RunCommand(Type.STOP, runId, null, timestamp);
    }

    public static RunCommand parse(String json) {
        return Json.read(json, RunCommand.class);
    }

    public String toJson() {
        return Json.write(this);
    }
}
