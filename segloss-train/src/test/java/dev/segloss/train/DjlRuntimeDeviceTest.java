package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.segloss.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * {@code --device cpu|gpu|gpu:N|auto}: the spelling is checked before the engine starts, and on this CPU-only
 * build every GPU request is refused naming the device asked for. (With GPUs, {@code gpu:N} is {@code
 * Device.gpu(N)} and N beyond the count is refused with the valid range; no GPU here to show it.)
 */
class DjlRuntimeDeviceTest {
  @Test
  void spellings() {
    for (String ok : new String[] {"cpu", "gpu", "auto", "gpu:0", "gpu:1", "gpu:15", "gpu:1024"}) assertEquals(ok, DjlRuntime.checkDeviceName(ok));
    for (String bad : new String[] {"GPU", "gpu:", "gpu:-1", "gpu:01", "gpu:x", "gpu:1:2", "cuda:0", "gpu0", " gpu", "gpu:99999"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> DjlRuntime.checkDeviceName(bad));
      assertEquals("--device: expected cpu, gpu, gpu:N (N = 0, 1, ...) or auto, got '" + bad + "'", e.getMessage());
    }
    assertThrows(InvalidInputException.class, () -> DjlRuntime.checkDeviceName(null));
    // the run configuration takes the same spellings
    assertEquals("gpu:3", TrainConfig.builder().device("gpu:3").build().device());
    assertThrows(InvalidInputException.class, () -> TrainConfig.builder().device("gpu:a").build());
  }

  @Test
  void devicesOnACpuBuild() {
    Engine engine = DjlRuntime.engine(1, 1);
    assertEquals(0, engine.getGpuCount(), "this test expects the CPU build of libtorch");
    assertEquals(Device.cpu(), DjlRuntime.device(engine, "cpu"));
    assertEquals(Device.cpu(), DjlRuntime.device(engine, "auto"));
    for (String gpu : new String[] {"gpu", "gpu:0", "gpu:2"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> DjlRuntime.device(engine, gpu));
      assertEquals("--device " + gpu + ": DJL sees no GPU (PyTorch " + engine.getVersion() + ", CPU build); use --device cpu", e.getMessage());
    }
  }
}
