package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@link LossEngine}s found by {@link ServiceLoader} on the class path, by name. */
public final class LossEngines implements Iterable<String> {
  /** Engine names, for picocli's completion candidates. */
  @Override
  public Iterator<String> iterator() {
    return names().iterator();
  }

  /** All engines, {@code core} first, then in service-file order; a repeated name keeps the first. */
  public static Map<String, LossEngine> all() {
    Map<String, LossEngine> m = new LinkedHashMap<>();
    m.put("core", new CoreLossEngine());
    for (LossEngine e : ServiceLoader.load(LossEngine.class, LossEngines.class.getClassLoader())) {
      m.putIfAbsent(e.name(), e);
    }
    return m;
  }

  public static List<String> names() {
    return new ArrayList<>(all().keySet());
  }

  /**
   * The engine of that name.
   *
   * @throws InvalidInputException naming {@code --engine} and listing the available engines
   */
  public static LossEngine find(String name) {
    Map<String, LossEngine> all = all();
    LossEngine e = all.get(name);
    if (e == null) {
      throw new InvalidInputException("--engine: unknown engine '" + name + "'; available: " + String.join(", ", all.keySet()));
    }
    return e;
  }
}
