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
    return epoch + "," + num(lr) + "," + num(trainLoss) + "," + num(valLoss) + "," + num(valDice) + "," + num(seconds) + ","
        + num(dataWaitSeconds);
  }

  private static String num(double d) {
    return Double.isNaN(d) ? "nan" : Double.toString(d);
  }
}
