package dev.segloss.cli;

import dev.segloss.core.engine.LossEngines;
import java.util.Iterator;

/** The names of the loss engines on the class path ({@link LossEngines}), for picocli's completion candidates. */
public final class EngineNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return LossEngines.names().iterator();
  }
}
