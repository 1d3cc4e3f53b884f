package dev.segloss.tensorflow;

import dev.segloss.core.loss.Reduction;
import org.tensorflow.Operand;

/**
 * The TF-side options of a loss, beside its core parameters: whether predictions are logits, the
 * reduction (kept equal to the core parameter {@code reduction}), the ignore value, whether inputs are
 * checked at run time, a name, and bound distance maps (boundary loss). Immutable.
 */
final class Config {
  final boolean fromLogits;
  final Reduction reduction;
  final float ignoreValue;
  final boolean check;
  final String name;
  final Operand<?> distanceMaps;

  Config(boolean fromLogits, Reduction reduction, float ignoreValue, boolean check, String name, Operand<?> distanceMaps) {
    this.fromLogits = fromLogits;
    this.reduction = reduction;
    this.ignoreValue = ignoreValue;
    this.check = check;
    this.name = name;
    this.distanceMaps = distanceMaps;
  }

  static Config defaults(boolean fromLogits) {
    return new Config(fromLogits, Reduction.MEAN, Float.NaN, true, null, null);
  }

  Config fromLogits(boolean v) {
    return new Config(v, reduction, ignoreValue, check, name, distanceMaps);
  }

  Config reduction(Reduction v) {
    return new Config(fromLogits, v, ignoreValue, check, name, distanceMaps);
  }

  Config ignoreValue(float v) {
    return new Config(fromLogits, reduction, v, check, name, distanceMaps);
  }

  Config check(boolean v) {
    return new Config(fromLogits, reduction, ignoreValue, v, name, distanceMaps);
  }

  Config name(String v) {
    return new Config(fromLogits, reduction, ignoreValue, check, v, distanceMaps);
  }

  Config distanceMaps(Operand<?> v) {
    return new Config(fromLogits, reduction, ignoreValue, check, name, v);
  }
}
