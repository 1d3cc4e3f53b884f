package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import java.util.Locale;

/**
 * The learning rate as a pure function of the global step, so that a resumed run gets exactly the rates
 * an uninterrupted one would (no hidden state to save).
 *
 * <ul>
 *   <li>{@code cosine} (default): a linear warm-up over the first {@code warmupSteps} steps, then cosine
 *       annealing from {@code lr} down to {@code lr·minRatio} at the last step (Loshchilov &amp; Hutter,
 *       "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017, without restarts; warm-up as in
 *       Goyal et al. 2017). Default minRatio 0.01, warm-up one epoch.
 *   <li>{@code step}: {@code lr·gamma^⌊epoch/every⌋} (the classic step decay; default gamma 0.1 every
 *       third of the epochs), with the same warm-up.
 *   <li>{@code constant}: {@code lr} throughout.
 * </ul>
 */
public final class LrSchedule {
  /** Schedule kinds. */
  public enum Kind {
    COSINE,
    STEP,
    CONSTANT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("--schedule: expected cosine, step or constant, got '" + s + "'");
      }
    }
  }

  private final Kind kind;
  private final double lr;
  private final long totalSteps;
  private final int stepsPerEpoch;
  private final long warmupSteps;
  private final double minRatio;
  private final int stepEvery;
  private final double stepGamma;

  public LrSchedule(Kind kind, double lr, int epochs, int stepsPerEpoch, long warmupSteps, double minRatio, int stepEvery, double stepGamma) {
    if (!(lr > 0) || Double.isInfinite(lr)) throw new InvalidInputException("--lr: expected a positive number, got " + lr);
    if (epochs < 1 || stepsPerEpoch < 1) throw new InvalidInputException("schedule: epochs and steps per epoch must be >= 1");
    if (!(minRatio >= 0 && minRatio <= 1)) throw new InvalidInputException("schedule: min ratio must be in [0, 1], got " + minRatio);
    if (stepEvery < 1) throw new InvalidInputException("schedule: step every must be >= 1 epoch, got " + stepEvery);
    if (!(stepGamma > 0 && stepGamma <= 1)) throw new InvalidInputException("schedule: step gamma must be in (0, 1], got " + stepGamma);
    this.kind = kind;
    this.lr = lr;
    this.stepsPerEpoch = stepsPerEpoch;
    this.totalSteps = (long) epochs * stepsPerEpoch;
    this.warmupSteps = Math.max(0, Math.min(warmupSteps, totalSteps - 1));
    this.minRatio = minRatio;
    this.stepEvery = stepEvery;
    this.stepGamma = stepGamma;
  }

  /** The rate of update number {@code step} (0-based). */
  public float at(long step) {
    double base;
    switch (kind) {
      case COSINE -> {
        long span = totalSteps - warmupSteps;
        double t = span <= 1 ? 1.0 : Math.min(1.0, Math.max(0, step - warmupSteps) / (double) (span - 1));
        base = lr * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * t)));
      }
      case STEP -> base = lr * Math.pow(stepGamma, (int) (step / stepsPerEpoch) / stepEvery);
      default -> base = lr;
    }
    if (step < warmupSteps) base *= (step + 1) / (double) (warmupSteps + 1);
    return (float) base;
  }

  public Kind kind() {
    return kind;
  }
}
