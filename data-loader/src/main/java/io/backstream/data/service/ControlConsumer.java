package io.backstream.data.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * runs.control: START launches a run (once: a repeated START is ignored), PAUSE/RESUME/STOP act
 * on that run only. Nothing here blocks (a run reads its dataset on its own thread), so one slow
 * run never delays another's PAUSE or STOP. A record that is not a valid command is logged,
 * dead-lettered and skipped: an exception would end the channel for every run.
 */
@ApplicationScoped
public class ControlConsumer {

    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

    @Inject
    RunLauncher launcher;
    @Inject
    RunRegistry registry;
    @Inject
    RunStates states;
    @Inject
    DeadLetters deadLetters;

    @Incoming("runs-control")
    public void consume(ConsumerRecord<String, String> record) {
        if (!registry.handles(record.key())) return;
        RunCommand command;
        try {
            command = RunCommand.parse(record.value());
        } catch (MalformedRecordException e) {
            deadLetters.reject(record, e.getMessage());
            return;
        }
        if (!registry.handles(command.runId())) return;
        try {
            apply(record, command);
        } catch (RuntimeException e) {   // a bug must not end the channel for every other run
            LOG.errorf(e, "run %s: %s failed", command.runId(), command.type());
        }
    }

    private void apply(ConsumerRecord<String, String> record, RunCommand command) {
        String runId = command.runId();
        switch (command.type()) {
            case START -> {
                List<String> problems = command.spec().validate();
                if (!problems.isEmpty()) {
                    String reason = "invalid spec: " + String.join("; ", problems);
                    deadLetters.reject(record, reason);
                    if (registry.register(runId, 1).isPresent()) states.failed(runId, command.spec(), reason);
                } else if (launcher.start(runId, command.spec())) {
                    LOG.infof("run %s: START %s", runId, command.spec().toJson());
                } else {
                    LOG.infof("run %s: START ignored, the run is already known (started or recovered)", runId);
                }
            }
            case PAUSE -> gate(command).ifPresent(RunGate::pause);
            case RESUME -> gate(command).ifPresent(RunGate::resume);
            case STOP -> gate(command).ifPresent(gate -> gate.stop("STOP"));
        }
    }

    private Optional<RunGate> gate(RunCommand command) {
        Optional<RunGate> gate = registry.find(command.runId());
        if (gate.isEmpty()) LOG.warnf("run %s: %s ignored, no such run here", command.runId(), command.type());
        else LOG.infof("run %s: %s", command.runId(), command.type());
        return gate;
    }
}
