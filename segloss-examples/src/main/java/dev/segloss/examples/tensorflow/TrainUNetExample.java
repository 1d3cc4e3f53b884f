package dev.segloss.examples.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.SegDataset;
import dev.segloss.data.batch.Batch;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Augmentation;
import dev.segloss.tensorflow.TfLosses;
import dev.segloss.tensorflow.TfSegLoss;
import java.util.Locale;

/**
 * Trains a small U-Net in TensorFlow Java (graph mode) with the seed's combined loss on data from
 * segloss-data and prints the validation Dice after every epoch.
 *
 * <pre>
 *   java -cp "$CP" dev.segloss.examples.tensorflow.TrainUNetExample [epochs] [loss spec] [data spec]
 * </pre>
 *
 * Defaults: 20 epochs; loss {@code combined(dice_weight=0.7, w_neg=0.2)} (the seed's third example, on
 * logits); data {@value #DEFAULT_DATA}: segloss-data's synthetic generator (the data of {@code segloss
 * train}/{@code compare}, see docs/DATA.md) with 320 images of 64x64 at 5 % foreground, split 224/48/48 by
 * the data layer's default 70/15/15 split (validation Dice 0.45 after 20 epochs in our run); U-Net with 8 base channels and depth 3; Adam, learning rate
 * 2e-3; batches of 8 from segloss-data's {@link BatchLoader} (shuffled per epoch, default flips and
 * rotations, partial last batch dropped). Any loss spec works as the second argument, e.g. {@code
 * "0.99*gdice + 0.01*boundary"}, and any {@code --data} value as the third (a folder of images/ and masks/,
 * {@code nifti:...}). The run is deterministic up to TF's multi-threaded float sums.
 */
public final class TrainUNetExample {
  /** The default data: segloss-data's synthetic generator, small (64x64) so that an epoch takes about a second. */
  public static final String DEFAULT_DATA = "synthetic:n=320,size=64,fg=0.05";

  private TrainUNetExample() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (InvalidInputException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  static void run(String[] args) {
    if (args.length > 3) throw new InvalidInputException("usage: TrainUNetExample [epochs] [loss spec] [data spec]");
    int epochs = 20;
    if (args.length > 0) {
      try {
        epochs = Integer.parseInt(args[0].trim());
      } catch (NumberFormatException e) {
        epochs = -1;
      }
      if (epochs < 1) throw new InvalidInputException("epochs: expected a positive integer, got '" + args[0] + "'");
    }
    String spec = args.length > 1 ? args[1] : "combined(dice_weight=0.7, w_neg=0.2)";
    String data = args.length > 2 ? args[2] : DEFAULT_DATA;
    int depth = 3;
    int batch = 8;
    long seed = 42;
    TfSegLoss loss = TfLosses.fromSpec(spec, true);
    // heights and widths padded to a multiple of 2^depth, as the U-Net halves them depth times
    SegDataset ds = Datasets.load(data, LoadOptions.builder().sizeMultiple(1 << depth).build());
    ds.warnings().forEach(w -> System.err.println("warning: " + w));
    System.out.printf(Locale.ROOT, "loss %s on logits; %s%n", loss.toSpec(), ds.summary());
    BatchLoader.Config config = BatchLoader.Config.builder().batchSize(batch).seed(seed).augmentation(Augmentation.defaults())
        .dropLast(true).build();
    try (SegTrainer t = new SegTrainer(loss, ds.height(), ds.width(), 8, depth, 2e-3f, seed);
        BatchLoader train = new BatchLoader(ds.train(), config)) {
      System.out.printf(Locale.ROOT, "U-Net: %d parameters; untrained validation Dice %.4f%n", t.parameters(), t.dice(ds.val(), batch));
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long start = System.nanoTime();
        double sum = 0;
        int steps = 0;
        try (BatchLoader.Epoch it = train.epoch(epoch - 1)) {
          while (it.hasNext()) {
            Batch b = it.next();
            sum += t.step(b.images(), b.masks(), b.size());
            steps++;
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "epoch %2d  train loss %.4f  validation Dice %.4f  (%.1f s)%n", epoch, sum / steps,
            t.dice(ds.val(), batch), seconds);
      }
    }
  }
}
