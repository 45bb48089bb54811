package io.backstream.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The build must run on libnd4j with oneDNN: the plain native jar trains ~15x slower. */
class NativeBackendTest {
    @Test
    void oneDnnIsLinkedIntoTheNativeLibrary() {
        Nd4j.create(1); // loads the backend
        // Environment.isUseONEDNN() says true even without oneDNN; the build info is what tells.
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        assertTrue(info.contains("HAVE_ONEDNN"), "libnd4j was built without oneDNN:\n" + info);
    }
}
