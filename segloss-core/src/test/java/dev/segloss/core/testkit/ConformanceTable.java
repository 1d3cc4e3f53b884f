package dev.segloss.core.testkit;

import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The conformance table: every loss of {@link #LOSSES} × every input of {@link #scenarios()}. Each engine
 * (the core's own paths, DJL, TensorFlow, and the command line over them) must give the core's value and
 * gradient on every row, within that engine's float32 tolerance. One table for all engines, so that what
 * one engine is checked on, every engine is.
 *
 * <p>Adding a loss: add its rows (its options and reductions) to {@link #SPECS}.
 */
public final class ConformanceTable {
  private ConformanceTable() {}

  /** Each loss with each of its options and every reduction, weighted sums, and {@code combined}. */
  public static final List<String> SPECS = List.of(
      "bce", "bce(w_pos=2, w_neg=0.3)", "bce(w_pos=2.5, w_neg=0.3)", "bce(eps=1e-3)", "bce(eps=0.05)", "bce(eps=1e-30)",
      "bce(label_smoothing=0.1)", "bce(w_neg=0.2, reduction=sum)", "bce(reduction=sum)", "bce(w_pos=3, reduction=weighted_mean)",
      "bce(reduction=weighted_mean)", "bce(reduction=none)",
      "dice", "dice(smooth_nr=1e-5, smooth_dr=1e-5)", "dice(smooth_nr=0, smooth_dr=1e-7, batch=true)", "dice(batch=true)",
      "dice(squared=true)", "dice(log=true)", "dice(soft=true)", "dice(log=true, soft=true)", "dice(squared=true, soft=true)",
      "dice(squared=true, soft=true, log=true)", "dice(reduction=sum)", "dice(reduction=none)", "dice(batch=true, reduction=none)",
      "dice(reduction=weighted_mean)", "dice(batch=true, reduction=weighted_mean)",
      "jaccard", "jaccard(batch=true)", "jaccard(smooth_nr=0, smooth_dr=1e-5, batch=true)", "jaccard(log=true)",
      "jaccard(soft=true)", "jaccard(log=true, soft=true)", "jaccard(smooth_nr=1e-5, smooth_dr=1e-5)", "jaccard(reduction=none)",
      "jaccard(batch=true, reduction=sum)", "jaccard(reduction=weighted_mean)",
      "tversky", "tversky(alpha=0.3, beta=0.7)", "tversky(alpha=0.7, beta=0.3, gamma=0.75)", "tversky(gamma=2)",
      "tversky(gamma=2, batch=true)", "tversky(soft=true)", "tversky(soft=true, alpha=0.2, beta=0.8)", "tversky(gamma=0.5, soft=true)",
      "tversky(batch=true)", "tversky(smooth_nr=1e-5, smooth_dr=1e-5)", "tversky(smooth_nr=1e-3, smooth_dr=1e-7, gamma=1.5)",
      "tversky(gamma=0.75, smooth_nr=1, smooth_dr=0)", "tversky(reduction=sum)", "tversky(reduction=weighted_mean)", "tversky(alpha=0.7, beta=0.3, reduction=none)",
      "focal", "focal(gamma=0)", "focal(gamma=1)", "focal(gamma=0.5)", "focal(alpha=0.25)", "focal(gamma=3, alpha=0.25)",
      "focal(gamma=3, alpha=0.6, label_smoothing=0.1)", "focal(label_smoothing=0.1)", "focal(eps=0.05)", "focal(eps=1e-3, reduction=sum)",
      "focal(eps=1e-30, gamma=0.5)", "focal(reduction=none)", "focal(reduction=weighted_mean)", "focal(gamma=1, reduction=weighted_mean)",
      "lovasz", "lovasz(per_image=false)", "lovasz(eps=1e-4)", "lovasz(eps=0.001)", "lovasz(reduction=none)", "lovasz(reduction=sum)",
      "lovasz(reduction=weighted_mean)",
      "gdice", "gdice(weighting=simple)", "gdice(weighting=uniform)", "gdice(batch=true)", "gdice(smooth_nr=0, smooth_dr=1e-7)",
      "gdice(reduction=none)", "gdice(reduction=sum)", "gdice(weighting=simple, reduction=weighted_mean)",
      "logcosh_dice", "logcosh_dice(log=true)", "logcosh_dice(soft=true)", "logcosh_dice(log=true, soft=true)",
      "logcosh_dice(batch=true)", "logcosh_dice(squared=true)", "logcosh_dice(squared=true, soft=true)",
      "logcosh_dice(batch=true, squared=true)", "logcosh_dice(reduction=sum)",
      "logcosh_dice(reduction=none)", "logcosh_dice(soft=true, reduction=weighted_mean)",
      "mcc", "mcc(smooth=0)", "mcc(smooth=0.001)", "mcc(batch=true)", "mcc(smooth=1e-3, reduction=none)", "mcc(reduction=weighted_mean)", "mcc(reduction=sum)",
      "topk", "topk(k=100)", "topk(k=30, w_pos=2, w_neg=0.5)", "topk(k=1)", "topk(k=0.5)", "topk(reduction=none)",
      "topk(reduction=weighted_mean)", "topk(reduction=sum)", "topk(k=25, reduction=sum)",
      "boundary", "boundary(reduction=none)", "boundary(reduction=sum)", "boundary(reduction=weighted_mean)",
      "combined", "combined(dice_weight=0.7, w_neg=0.2)", "combined(reduction=none)",
      "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", "0.5*bce(reduction=sum) + 2*dice(reduction=sum)",
      "2*dice(log=true) + 0.5*bce(w_pos=4)", "0.99*gdice + 0.01*boundary", "0.5*focal(alpha=0.25) + 0.5*tversky(alpha=0.3, beta=0.7)",
      "lovasz + 0.5*bce");

  /** One row label of the table and the loss it names. */
  public record Entry(String name, Supplier<SegLoss> loss) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * The losses of the table: {@link #SPECS}, then the test-only {@link FBetaTestLoss} with its options,
   * which no engine knows by name (the proof that a region loss written once runs everywhere).
   */
  public static List<Entry> losses() {
    List<Entry> out = new ArrayList<>();
    for (String s : SPECS) out.add(new Entry(s, () -> LossSpec.parse(s)));
    out.addAll(testOnlyLosses());
    return out;
  }

  /** The test-only loss with its options (and the reductions through {@code withReduction}). */
  public static List<Entry> testOnlyLosses() {
    List<Entry> out = new ArrayList<>();
    out.add(entry(FBetaTestLoss.of(1, 1e-7, false, false, false)));
    out.add(entry(FBetaTestLoss.of(2, 1e-5, false, false, false)));
    out.add(entry(FBetaTestLoss.of(0.5, 1e-7, true, false, false)));
    out.add(entry(FBetaTestLoss.of(2, 1e-7, true, true, false)));
    out.add(entry(FBetaTestLoss.of(1, 1e-3, false, true, true)));
    out.add(entry(FBetaTestLoss.of(2, 1e-7, false, false, false).withReduction(dev.segloss.core.loss.Reduction.NONE)));
    out.add(entry(FBetaTestLoss.of(2, 1e-7, false, false, false).withReduction(dev.segloss.core.loss.Reduction.WEIGHTED_MEAN)));
    return out;
  }

  private static Entry entry(SegLoss l) {
    return new Entry(l.toSpec(), () -> l);
  }

  // ---------------------------------------------------------------------------------------- scenarios

  /** Batch 1 and 4; 1-D, 2-D and 3-D images; channel last (TensorFlow's layout), first (DJL's) and none. */
  static final int[][] SHAPES = {
      {1, 8, 8, 1}, {4, 6, 5, 1}, {1, 3, 4, 5, 1}, {4, 3, 4, 4, 1}, {4, 9}, {1, 1, 6, 5}, {4, 1, 5, 4}, {4, 3, 4, 3}};

  /** Which (shape, predictions) pairs carry weights, an ignore value or both: two or three shapes each. */
  static final Object[][] WEIGHTED = {
      {TestInput.Weights.PIXEL, 1, false}, {TestInput.Weights.PIXEL, 6, true}, {TestInput.Weights.PIXEL, 4, false},
      {TestInput.Weights.IMAGE, 3, true}, {TestInput.Weights.IMAGE, 6, false}, {TestInput.Weights.IMAGE, 1, true},
      {TestInput.Weights.IGNORE, 1, true}, {TestInput.Weights.IGNORE, 6, false}, {TestInput.Weights.IGNORE, 0, false},
      {TestInput.Weights.PIXEL_IGNORE, 7, true}, {TestInput.Weights.PIXEL_IGNORE, 1, false}};

  /**
   * The inputs, grouped so that one group has one shape, one kind of predictions and one kind of weights
   * (one TensorFlow graph): every shape without weights, on probabilities and on logits, with every kind
   * of labels; and each kind of weights on two or three of the shapes, with every kind of labels.
   */
  public static List<List<TestInput>> groups() {
    Map<String, List<TestInput>> g = new LinkedHashMap<>();
    long seed = 1;
    for (int[] shape : SHAPES) {
      for (boolean logits : new boolean[] {false, true}) {
        seed = add(g, shape, logits, TestInput.Weights.NONE, seed);
      }
    }
    for (Object[] w : WEIGHTED) seed = add(g, SHAPES[(Integer) w[1]], (Boolean) w[2], (TestInput.Weights) w[0], seed);
    return new ArrayList<>(g.values());
  }

  private static long add(Map<String, List<TestInput>> g, int[] shape, boolean logits, TestInput.Weights w, long seed) {
    for (TestInput.Labels labels : TestInput.Labels.values()) {
      if (labels == TestInput.Labels.MIXED && shape[0] == 1) continue; // it would be EMPTY
      g.computeIfAbsent(Arrays.toString(shape) + logits + w, k -> new ArrayList<>())
          .add(TestInput.scenario(shape, labels, logits, w, seed++));
    }
    return seed;
  }

  /** All inputs, in group order. */
  public static List<TestInput> scenarios() {
    List<TestInput> out = new ArrayList<>();
    for (List<TestInput> g : groups()) out.addAll(g);
    return out;
  }

  /**
   * A spread sample of n rows (loss, input), deterministic: for tests whose every row costs a process or a
   * command line (the CLI), not for the engines' own conformance tests, which run every row.
   */
  public static List<Object[]> sample(int n) {
    List<Entry> losses = losses();
    List<TestInput> inputs = scenarios();
    List<Object[]> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Entry e = losses.get((int) ((long) k * 37 % losses.size()));
      TestInput in = inputs.get((int) ((long) k * 53 % inputs.size()));
      out.add(new Object[] {e, in});
    }
    return out;
  }
}
