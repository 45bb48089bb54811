/**
 * CIFAR-10 data for Backstream: reading it as users have it on disk, and generating SYNCIFAR v1.
 *
 * <ul>
 *   <li>{@link io.backstream.data.CifarDatasets#open} reads the binary or python version from a
 *       file, a batch directory or the downloaded tar.gz into a {@link io.backstream.data.CifarDataset};
 *       damage is a {@link io.backstream.data.DatasetFormatException} naming file, member and offset.</li>
 *   <li>{@link io.backstream.data.Syncifar} (on {@link io.backstream.data.SplitMix64}) generates the
 *       deterministic synthetic dataset; {@link io.backstream.data.BundledData#ensure} materialises
 *       the default train/test pair; {@link io.backstream.data.GenerateDataCommand} is the CLI.</li>
 *   <li>{@link io.backstream.data.CifarPythonWriter}, {@link io.backstream.data.CifarBinaryWriter}
 *       and {@link io.backstream.data.CifarLayoutWriter} write the real formats and layouts.</li>
 * </ul>
 *
 * <p>The python version is read by a small safe unpickler for exactly the Python 2 cPickle
 * protocol-2 subset of the real files; no pickle can make it call anything but numpy's array and
 * dtype reconstructors, which it emulates.
 */
package io.backstream.data;
