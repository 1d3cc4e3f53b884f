package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.engine.LossEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI discovers the loss engines the modules on its class path register (core, segloss-djl,
 * segloss-tensorflow) and holds no engine code: no CLI source refers to the DJL or TensorFlow modules.
 */
class EnginePluginsTest {
  @Test
  void everyModuleOnTheClassPathContributesItsEngine() {
    assertEquals(List.of("core", "djl", "tensorflow"), LossEngines.names());
    assertEquals("dev.segloss.djl", LossEngines.find("djl").getClass().getPackageName());
    assertEquals("dev.segloss.tensorflow", LossEngines.find("tensorflow").getClass().getPackageName());
  }

  @Test
  void theCliRefersToNoEngineModule() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        assertTrue(!text.contains("dev.segloss.djl") && !text.contains("dev.segloss.tensorflow"), f + " refers to an engine module");
      }
    }
  }
}
