package dev.segloss.core.engine;

import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@link LossEngine}s on the class path, by name: {@code core} first, then the others found by
 * {@link ServiceLoader} in the order of their names (so that listings do not depend on the class path's
 * order); a repeated name keeps the first found.
 */
public final class LossEngines {
  private LossEngines() {}

  /** All engines. */
  public static Map<String, LossEngine> all() {
    Map<String, LossEngine> m = new LinkedHashMap<>();
    m.put(CoreLossEngine.NAME, new CoreLossEngine());
    List<LossEngine> found = new ArrayList<>();
    for (LossEngine e : ServiceLoader.load(LossEngine.class, LossEngines.class.getClassLoader())) found.add(e);
    found.sort(Comparator.comparing(LossEngine::name));
    for (LossEngine e : found) m.putIfAbsent(e.name(), e);
    return m;
  }

  /** The engines' names, {@code core} first. */
  public static List<String> names() {
    return new ArrayList<>(all().keySet());
  }

  /**
   * The engine of that name.
   *
   * @throws InvalidInputException naming the engine and listing the available ones
   */
  public static LossEngine find(String name) {
    Map<String, LossEngine> all = all();
    LossEngine e = all.get(name);
    if (e == null) {
      throw new InvalidInputException("unknown engine '" + name + "'; available: " + String.join(", ", all.keySet()));
    }
    return e;
  }
}
