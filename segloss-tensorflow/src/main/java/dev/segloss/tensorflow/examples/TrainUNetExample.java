package dev.segloss.tensorflow.examples;

import dev.segloss.tensorflow.TfLosses;
import dev.segloss.tensorflow.TfSegLoss;
import java.util.Locale;

/**
 * Trains a small U-Net in TensorFlow Java (graph mode) with the seed's combined loss on synthetic,
 * imbalanced data and prints the validation Dice after every epoch.
 *
 * <pre>
 *   java -cp "$CP" dev.segloss.tensorflow.examples.TrainUNetExample [epochs] [spec]
 * </pre>
 *
 * Defaults: 10 epochs, loss {@code combined(dice_weight=0.7, w_neg=0.2)} (the seed's third example, on
 * logits); 96 training and 32 validation images of 64×64 with about 5 % foreground
 * ({@link SyntheticBlobs}); U-Net with 8 base channels and depth 3; Adam, learning rate 2e-3, batch 8.
 * Any loss spec works as the second argument, e.g. {@code "0.99*gdice + 0.01*boundary"}. The run is
 * deterministic up to TF's multi-threaded float sums.
 */
public final class TrainUNetExample {
  private TrainUNetExample() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String spec = args.length > 1 ? args[1] : "combined(dice_weight=0.7, w_neg=0.2)";
    int size = 64;
    int batch = 8;
    SyntheticBlobs train = SyntheticBlobs.generate(96, size, 1);
    SyntheticBlobs val = SyntheticBlobs.generate(32, size, 2);
    TfSegLoss loss = TfLosses.fromSpec(spec, true);
    System.out.printf(Locale.ROOT, "loss %s on logits; %d train / %d validation images %dx%d, %.1f %% foreground%n",
        loss.toSpec(), train.n, val.n, size, size, 100 * train.foregroundFraction());
    try (SegTrainer t = new SegTrainer(loss, size, 8, 3, 2e-3f, 42)) {
      System.out.printf(Locale.ROOT, "U-Net: %d parameters; untrained validation Dice %.4f%n", t.parameters(), t.dice(val, batch));
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long start = System.nanoTime();
        double sum = 0;
        int steps = 0;
        for (int from = 0; from + batch <= train.n; from += batch) {
          sum += t.step(train.images(from, batch), train.masks(from, batch), batch);
          steps++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "epoch %2d  train loss %.4f  validation Dice %.4f  (%.1f s)%n", epoch, sum / steps,
            t.dice(val, batch), seconds);
      }
    }
  }
}
