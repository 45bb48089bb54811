package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** open(path, split) recognises every layout users have on disk and reads the right batches in order. */
class CifarDatasetsTest {

    @TempDir
    Path dir;

    final SmallCifar cifar = new SmallCifar();

    @Test
    void binaryArchiveGivesTheFiveTrainingBatchesInOrderAndItsClassNames() throws IOException {
        Path archive = dir.resolve("cifar-10-binary.tar.gz");
        CifarLayoutWriter.writeBinaryArchive(archive, cifar.trainBatches, cifar.test);
        CifarDataset train = CifarDatasets.open(archive, Split.TRAIN);
        SmallCifar.assertSameImages(cifar.train, train);
        assertEquals(SmallCifar.CLASS_NAMES, train.classNames());
        assertTrue(train.source().contains("cifar-10-batches-bin/data_batch_5.bin"), train.source());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(archive, Split.TEST));
    }

    @Test
    void pythonArchiveGivesTheSameImagesAsTheBinaryOne() throws IOException {
        Path archive = dir.resolve("cifar-10-python.tar.gz");
        CifarLayoutWriter.writePythonArchive(archive, cifar.trainBatches, cifar.test);
        CifarDataset train = CifarDatasets.open(archive, Split.TRAIN);
        SmallCifar.assertSameImages(cifar.train, train);
        assertEquals(SmallCifar.CLASS_NAMES, train.classNames());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(archive, Split.TEST));
    }

    @Test
    void archivesAreRecognisedByContentNotByName() throws IOException {
        Path archive = dir.resolve("download.bin");
        CifarLayoutWriter.writePythonArchive(archive, cifar.trainBatches, cifar.test);
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(archive, Split.TEST));
    }

    @Test
    void binaryDirectoryReadsItsBatchesAndBatchesMetaTxt() throws IOException {
        Path folder = CifarLayoutWriter.writeBinaryDirectory(dir, cifar.trainBatches, cifar.test);
        CifarDataset train = CifarDatasets.open(folder, Split.TRAIN);
        SmallCifar.assertSameImages(cifar.train, train);
        assertEquals(SmallCifar.CLASS_NAMES, train.classNames());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(folder, Split.TEST));
    }

    @Test
    void pythonDirectoryReadsItsBatchesAndBatchesMeta() throws IOException {
        Path folder = CifarLayoutWriter.writePythonDirectory(dir, cifar.trainBatches, cifar.test);
        CifarDataset train = CifarDatasets.open(folder, Split.TRAIN);
        SmallCifar.assertSameImages(cifar.train, train);
        assertEquals(SmallCifar.CLASS_NAMES, train.classNames());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(folder, Split.TEST));
    }

    @Test
    void aParentDirectoryLikeTorchvisionsRootIsSearchedForTheBatchFolder() throws IOException {
        CifarLayoutWriter.writePythonDirectory(dir, cifar.trainBatches, cifar.test);
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(dir, Split.TEST));
    }

    @Test
    void aParentDirectoryHoldingOnlyTheDownloadedArchiveReadsTheArchive() throws IOException {
        CifarLayoutWriter.writeBinaryArchive(dir.resolve("cifar-10-binary.tar.gz"), cifar.trainBatches, cifar.test);
        SmallCifar.assertSameImages(cifar.train, CifarDatasets.open(dir, Split.TRAIN));
    }

    @Test
    void aSingleBinFileIsReadWholeWithCifarClassNames() throws IOException {
        Path file = dir.resolve("syn.bin");
        Files.write(file, CifarBinaryWriter.toBytes(cifar.test));
        CifarDataset data = CifarDatasets.open(file, Split.TRAIN);
        SmallCifar.assertSameImages(cifar.test, data);
        assertEquals(CifarFormat.CLASS_NAMES, data.classNames());
        assertEquals(file.toString(), data.source());
    }

    @Test
    void aSingleBinFileUsesBatchesMetaTxtBesideIt() throws IOException {
        Path folder = CifarLayoutWriter.writeBinaryDirectory(dir, cifar.trainBatches, cifar.test);
        CifarDataset data = CifarDatasets.open(folder.resolve("data_batch_2.bin"), Split.TEST);
        SmallCifar.assertSameImages(cifar.trainBatches.get(1), data);
        assertEquals(SmallCifar.CLASS_NAMES, data.classNames());
    }

    @Test
    void aSinglePythonBatchIsRecognisedByItsPickleHeader() throws IOException {
        Path file = dir.resolve("some_batch");
        CifarPythonWriter.writeDataBatch(file, "testing batch 1 of 1", cifar.test);
        CifarDataset data = CifarDatasets.open(file, Split.TEST);
        SmallCifar.assertSameImages(cifar.test, data);
        assertEquals(CifarFormat.CLASS_NAMES, data.classNames());
    }

    @Test
    void theDefaultSyncifarFilesReadAsCifarBinaryFiles() throws IOException {
        BundledData.Files files = BundledData.ensure(dir);
        CifarDataset train = CifarDatasets.open(files.train(), Split.TRAIN);
        SmallCifar.assertSameImages(Syncifar.generate(1, 2000), train);
        assertEquals(500, CifarDatasets.open(files.test(), Split.TEST).size());
    }

    @Test
    void aMissingPathListsWhatIsAccepted() {
        Path missing = dir.resolve("nowhere");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> CifarDatasets.open(missing, Split.TRAIN));
        assertTrue(e.getMessage().startsWith(missing + ": no such file or directory"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-python.tar.gz"), e.getMessage());
        assertEquals(-1, e.offset());
    }

    @Test
    void aFileOfNoKnownFormatListsWhatIsAccepted() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, world");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> CifarDatasets.open(text, Split.TRAIN));
        assertTrue(e.getMessage().contains("not a known CIFAR-10 format"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-batches-bin/"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutCifarFilesListsWhatIsAccepted() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> CifarDatasets.open(dir, Split.TEST));
        assertTrue(e.getMessage().startsWith(dir + ": the directory holds no CIFAR-10 data"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted CIFAR-10 layouts"), e.getMessage());
    }

    @Test
    void aDirectoryMissingOneTrainingBatchNamesTheMissingFile() throws IOException {
        Path folder = CifarLayoutWriter.writePythonDirectory(dir, cifar.trainBatches, cifar.test);
        Files.delete(folder.resolve("data_batch_3"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> CifarDatasets.open(folder, Split.TRAIN));
        assertEquals(folder.resolve("data_batch_3").toString(), e.source());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        SmallCifar.assertSameImages(cifar.test, CifarDatasets.open(folder, Split.TEST));
    }
}
