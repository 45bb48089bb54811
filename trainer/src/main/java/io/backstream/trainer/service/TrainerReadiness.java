package io.backstream.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the trainer's transactions are set up and its runs are taken back from Kafka: before
 * that, creating a run would wait, and a run's state may not be known yet.
 */
@Readiness
@ApplicationScoped
class TrainerReadiness implements HealthCheck {
    @Inject
    Runs runs;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("runs taken back from Kafka").status(runs.isReady());
        String failure = runs.startUpFailure();
        if (failure != null) response.withData("start-up failed", failure);
        return response.build();
    }
}
