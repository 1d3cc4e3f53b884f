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
 * (its diagnosis), and each point costs a pass over the validation images. An epoch is one pass over the
 * training images while that gives {@value #MIN_EPOCHS} to {@value #MAX_EPOCHS} epochs: epochs =
 * round(updates / steps per pass). With fewer passes than {@value #MIN_EPOCHS} (a large data set), epochs
 * are ⌊updates / {@value #MIN_EPOCHS}⌋ updates long (at least one), each a fresh random subset of the
 * training images (the first batches of that epoch's shuffled order); with more than {@value #MAX_EPOCHS}
 * (a small one: 28 training slices make 4 steps, 420 updates 105 passes), epochs are ⌈updates / {@value
 * #MAX_EPOCHS}⌉ updates long, several passes each (the last cut short). Either way there are as many epochs
 * as it takes to reach the budget, and the run has the asked number of updates to within half a pass (or
 * one epoch), every loss of a split the same.
 */
public final class Budget {
  /** Default updates per run. */
  public static final int DEFAULT_UPDATES = 420;
  /** Fewest epochs a budget in updates is cut into (a validation point each). */
  public static final int MIN_EPOCHS = 10;
  /**
   * Most epochs a budget in updates is cut into: each epoch ends with a pass over the validation images,
   * which on small data sets of large images costs as much as the epoch's few updates.
   */
  public static final int MAX_EPOCHS = 40;
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

    /** E.g. "12 epochs of 35 steps", "39 epochs of 11 steps (4 per pass over the training images)". */
    public String describe() {
      String s = String.format(Locale.ROOT, "%d epoch%s of %d step%s", epochs, epochs == 1 ? "" : "s", stepsPerEpoch(),
          stepsPerEpoch() == 1 ? "" : "s");
      return epochSteps > 0 ? s + " (" + stepsPerPass + " per pass over the training images)" : s;
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
    if (passes > MAX_EPOCHS) {
      // many short passes: epochs of several passes, so that validation does not dominate
      int epochSteps = (int) ((updates + MAX_EPOCHS - 1) / MAX_EPOCHS);
      int epochs = (int) ((updates + epochSteps - 1) / epochSteps);
      return new Length(epochs, epochSteps == stepsPerPass ? 0 : epochSteps, stepsPerPass);
    }
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
