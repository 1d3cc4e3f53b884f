package dev.segloss.train;

/**
 * One line of {@code history.csv}.
 *
 * @param epoch 1-based epoch
 * @param lr learning rate of the epoch's last update
 * @param trainLoss mean training loss over the epoch's batches
 * @param valLoss mean validation loss (batches weighted by their size)
 * @param valDice mean per-image validation Dice at the run's threshold (NaN images left out)
 * @param seconds wall time of the epoch, validation included
 * @param dataWaitSeconds time the trainer waited for batches
 */
public record EpochStats(int epoch, double lr, double trainLoss, double valLoss, double valDice, double seconds, double dataWaitSeconds) {
  static final String CSV_HEADER = "epoch,lr,train_loss,val_loss,val_dice,seconds,data_wait_seconds";

  String csv() {
    return epoch + "," + lr(lr) + "," + num(trainLoss) + "," + num(valLoss) + "," + num(valDice) + "," + num(seconds) + ","
        + num(dataWaitSeconds);
  }

  /**
   * The learning rate as the optimizer used it: DJL's Adam takes a float, so the shortest decimal that
   * reads back as that float, in plain notation ({@code 0.00085714285}, not the double's float noise
   * {@code 8.571428479626775E-4}).
   */
  static String lr(double lr) {
    if (!Double.isFinite(lr)) return num(lr);
    return new java.math.BigDecimal(Float.toString((float) lr)).stripTrailingZeros().toPlainString();
  }

  private static String num(double d) {
    return Double.isNaN(d) ? "nan" : Double.toString(d);
  }
}
