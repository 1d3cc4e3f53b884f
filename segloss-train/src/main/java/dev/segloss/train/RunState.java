package dev.segloss.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's bookkeeping, saved in every checkpoint: how far the run got, the best validation Dice
 * and its epoch, the early-stopping counter and the history. Mutable, owned by one run.
 */
public final class RunState {
  /** How a run ended (or {@code RUNNING}). */
  public enum Status {
    RUNNING,
    COMPLETED,
    EARLY_STOPPED,
    DIVERGED
  }

  public int epochsDone;
  public long globalStep;
  public int bestEpoch;
  public double bestValDice = Double.NEGATIVE_INFINITY;
  public int badEpochs;
  public double elapsedSeconds;
  public Status status = Status.RUNNING;
  public String message = "";
  public List<EpochStats> history = new ArrayList<>();

  /** The history as CSV text. */
  public String historyCsv() {
    StringBuilder sb = new StringBuilder(EpochStats.CSV_HEADER).append('\n');
    for (EpochStats e : history) sb.append(e.csv()).append('\n');
    return sb.toString();
  }
}
