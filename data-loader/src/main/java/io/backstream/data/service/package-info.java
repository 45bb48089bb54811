/**
 * The data-loader service (Quarkus, port 8081): turns a run's START into its training batches on
 * Kafka, never further ahead of the trainer than a window.
 *
 * <ul>
 *   <li>{@link io.backstream.data.service.ControlConsumer} (runs.control): START →
 *       {@link io.backstream.data.service.RunLauncher} (a thread per new run; a repeated START is
 *       ignored); PAUSE/RESUME/STOP → that run's {@link io.backstream.data.service.RunGate}; bad
 *       records → {@link io.backstream.data.service.DeadLetters}.</li>
 *   <li>{@link io.backstream.data.service.RunPublisher}: {@link io.backstream.data.service.DatasetResolver}
 *       reads and validates the dataset whole (failure → {@link io.backstream.data.service.RunStates}
 *       FAILED, nothing published), {@link io.backstream.data.service.TestSetPublisher} publishes the
 *       test split once per dataset id, then {@link io.backstream.data.service.EpochBatches} go out
 *       through an {@link io.backstream.data.service.OrderedSender}, each when the gate allows.</li>
 *   <li>{@link io.backstream.data.service.ProgressTracker} (runs.progress, the trainer's committed step) and
 *       {@link io.backstream.data.service.RunStateWatcher} (runs.state) open and close the gates.</li>
 *   <li>{@link io.backstream.data.service.RunRecovery}: at start-up, the active runs of runs.state
 *       resume after their committed position on runs.progress (a loader restart loses no run).</li>
 *   <li>{@link io.backstream.data.service.PublishBench}: the publish path's images/s.</li>
 * </ul>
 */
package io.backstream.data.service;
