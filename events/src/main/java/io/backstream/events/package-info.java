/**
 * The wire contract between Backstream's services: what travels on which Kafka topic, in a form
 * any Kafka client can read without this code.
 *
 * <ul>
 *   <li>{@link io.backstream.events.Topics}: every topic name, its value and its key.</li>
 *   <li>JSON events, records with {@code parse(String)} and {@code toJson()}:
 *       {@link io.backstream.events.StepLoss} and {@link io.backstream.events.EpochSummary}
 *       (a {@link io.backstream.events.LossTopicEvent}), {@link io.backstream.events.EvaluationResult},
 *       {@link io.backstream.events.RunCommand}, {@link io.backstream.events.RunState},
 *       {@link io.backstream.events.DeadLetter}; the user's {@link io.backstream.events.RunSpec}
 *       with its {@link io.backstream.events.OptimizerSpec}. {@link io.backstream.events.Json}
 *       holds the rules (non-finite numbers as strings, strict input from users).</li>
 *   <li>{@link io.backstream.events.BatchCodec}: the binary {@link io.backstream.events.Batch}
 *       record for training batches and test-set chunks, CRC-checked.</li>
 *   <li>{@link io.backstream.events.SnapshotHeaders} and {@link io.backstream.events.SnapshotMetadata}:
 *       the headers on ONNX snapshot records.</li>
 * </ul>
 *
 * Anything off-contract is a {@link io.backstream.events.MalformedRecordException} whose message
 * says what and where, ready to be a {@link io.backstream.events.DeadLetter}'s reason.
 */
package io.backstream.events;
