/**
 * The trainer service: the REST control API ({@link io.backstream.trainer.service.RunResource} on
 * {@code /api/runs}), the runs it holds ({@link io.backstream.trainer.service.Runs},
 * {@link io.backstream.trainer.service.Run}), one worker thread per active run that trains its
 * batches in order ({@link io.backstream.trainer.service.RunWorker}), the Kafka side that feeds them
 * ({@link io.backstream.trainer.service.BatchConsumer}, {@link io.backstream.trainer.service.StateConsumer})
 * and everything the trainer publishes ({@link io.backstream.trainer.service.Events}).
 */
package io.backstream.trainer.service;
