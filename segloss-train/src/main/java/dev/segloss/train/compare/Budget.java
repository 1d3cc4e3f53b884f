package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import java.util.Locale;

/**
 * How long each {@code compare} run trains: a number of parameter updates (the default), or a number of
 * epochs when {@code --epochs} asks for it.
 *
 * <p>A budget in updates makes the amount of training independent of the data set's size: 28 training
 * slices make 4 steps of 8 per epoch, so 12 epochs would be 48 updates — far too few — while 400 images
 * make 50 steps and 12 epochs 600 updates. nnU-Net fixes its iterations per epoch (250) for the same reason
 * (Isensee et al., "nnU-Net", Nature Methods 18, 2021). The default, {@value #DEFAULT_UPDATES} updates, is
 * what {@code compare}'s synthetic default trained before budgets existed (12 epochs × 35 steps).
 *
 * <p>From updates to epochs ({@link #fromUpdates}): the learning curves need enough points to judge a run
 * (its diagnosis), so an epoch stays one pass over the training images only while that gives at least
 * {@value #MIN_EPOCHS} epochs: epochs = round(updates / steps per pass). Otherwise epochs are ⌊updates /
 * {@value #MIN_EPOCHS}⌋ updates long (at least one), each a fresh random subset of the training images
 * (the first batches of that epoch's shuffled order), and there are as many as it takes to reach the
 * budget — at least {@value #MIN_EPOCHS} (or one per update for smaller budgets). Either way the run has the
 * asked number of updates to within half a pass (or one short epoch), and every loss of a split the same.
 */
public final class Budget {
  /** Default updates per run. */
  public static final int DEFAULT_UPDATES = 420;
  /** Fewest epochs a budget in updates is cut into (a validation point each). */
  public static final int MIN_EPOCHS = 10;
  /** Largest number of updates per run accepted. */
  public static final int MAX_UPDATES = 10_000_000;

  private Budget() {}

  /**
   * The length of one run.
   *
   * @param epochs epochs
   * @param epochSteps updates per epoch when shorter than a pass, else 0 (an epoch is one pass)
   * @param stepsPerPass batches in one pass over the training images
   */
  public record Length(int epochs, int epochSteps, int stepsPerPass) {
    /** Updates per epoch. */
    public int stepsPerEpoch() {
      return epochSteps > 0 ? epochSteps : stepsPerPass;
    }

    /** Updates of the run. */
    public long updates() {
      return (long) epochs * stepsPerEpoch();
    }

    /** E.g. "105 epochs of 4 steps" or "10 epochs of 42 steps (of 1250 per pass)". */
    public String describe() {
      String s = String.format(Locale.ROOT, "%d epoch%s of %d step%s", epochs, epochs == 1 ? "" : "s", stepsPerEpoch(),
          stepsPerEpoch() == 1 ? "" : "s");
      return epochSteps > 0 ? s + " (of " + stepsPerPass + " per pass over the training images)" : s;
    }
  }

  /** Batches in one pass over {@code images} training images. */
  public static int stepsPerPass(int images, int batch) {
    if (images < 1) throw new InvalidInputException("--data: the training split is empty");
    return (images + batch - 1) / batch;
  }

  /** The run length for a budget of {@code updates}. */
  public static Length fromUpdates(long updates, int stepsPerPass) {
    if (updates < 1) throw new InvalidInputException("--updates: expected at least 1, got " + updates);
    if (stepsPerPass < 1) throw new IllegalArgumentException("steps per pass " + stepsPerPass);
    double passes = updates / (double) stepsPerPass;
    if (passes >= MIN_EPOCHS) return new Length((int) Math.min(Integer.MAX_VALUE, Math.round(passes)), 0, stepsPerPass);
    int epochSteps = (int) Math.max(1, updates / MIN_EPOCHS);
    int epochs = (int) ((updates + epochSteps - 1) / epochSteps);
    return new Length(epochs, epochSteps >= stepsPerPass ? 0 : epochSteps, stepsPerPass);
  }

  /** The run length for {@code epochs} passes over the training images. */
  public static Length fromEpochs(int epochs, int stepsPerPass) {
    if (epochs < 1) throw new InvalidInputException("--epochs: expected at least 1, got " + epochs);
    return new Length(epochs, 0, stepsPerPass);
  }
}
