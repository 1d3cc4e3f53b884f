package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.metrics.SurfaceDistances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-volume 3-D metrics: slices put back at their positions, Dice from pooled counts, HD95 in mm from the spacing. */
class VolumeMetricsTest {
  static final int H = 8, W = 8;

  /** A 4×4 square at rows/cols [2, 6) on the slices in [from, to), shifted by {@code dx} columns. */
  static float[] square(int slice, int from, int to, int dx) {
    float[] m = new float[H * W];
    if (slice < from || slice >= to) return m;
    for (int y = 2; y < 6; y++) for (int x = 2 + dx; x < 6 + dx; x++) m[y * W + x] = 1;
    return m;
  }

  /** A run that tested the given comparison positions with predictions {@code preds} (run order). */
  static RunOutcome run(long seed, int fold, int[] testIndex, List<float[]> preds) {
    float[][] p = preds.toArray(new float[0][]);
    byte[] bits = RunExecutor.pack(p, 0.5);
    Map<String, double[]> per = new LinkedHashMap<>();
    per.put("dice", new double[testIndex.length]);
    return new RunOutcome(0, 0, seed, fold, "x", "dice", "completed", "ok", 10, 40, 10, 0.5, 1, Map.of("dice", 0.5), per, testIndex, 0.5, 0.5,
        0.5, 0.5, new double[0], null, new Diagnosis(Diagnosis.Kind.CONVERGED, "", false), List.of(), bits);
  }

  @Test
  void aShiftedSquareStackAgainstItsTruth() {
    // 6 test slices (positions 10..15) of one volume, truth on slices 11..14, prediction shifted by one column
    int n = 6;
    int[] slices = new int[n], volume = new int[n], idx = new int[n];
    List<float[]> truth = new ArrayList<>(), pred = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      slices[j] = 10 + j;
      idx[j] = j;
      truth.add(square(10 + j, 11, 15, 0));
      pred.add(square(10 + j, 11, 15, 1));
    }
    double[] spacing = {2.0, 0.5, 0.8};
    VolumeMetrics.Layout layout = new VolumeMetrics.Layout(List.of("vol"), List.of(spacing), volume, slices, truth, H, W);
    List<VolumeMetrics.LossVolume> v = VolumeMetrics.of(List.of(run(1, 0, idx, pred)), layout);
    assertEquals(1, v.size());
    assertEquals(6, v.get(0).slices());
    // 4 slices × (12 overlapping of 16): Dice = 2·48 / (64 + 64)
    assertEquals(2.0 * 48 / 128, v.get(0).dice().mean(), 1e-12);
    // HD95 equals the core's on the stacked arrays with the same spacing
    boolean[] t = new boolean[n * H * W], p = new boolean[n * H * W];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < H * W; i++) {
        t[j * H * W + i] = truth.get(j)[i] == 1;
        p[j * H * W + i] = pred.get(j)[i] == 1;
      }
    }
    double hd95 = SurfaceDistances.of(t, p, new int[] {n, H, W}, spacing).hd95();
    assertEquals(hd95, v.get(0).hd95().mean(), 1e-12);
    assertTrue(hd95 > 0 && hd95 <= 0.8 + 1e-12, "a one-column shift is at most 0.8 mm apart: " + hd95);
  }

  @Test
  void foldsReassembleTheVolumeFromTheirModels() {
    // slices 0..5 tested in two folds (0,2,4 and 1,3,5): the same predictions as one run testing all six
    int n = 6;
    int[] slices = new int[n], volume = new int[n];
    List<float[]> truth = new ArrayList<>(), pred = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      slices[j] = j;
      truth.add(square(j, 1, 5, 0));
      pred.add(square(j, 2, 6, j % 2));
    }
    VolumeMetrics.Layout layout = new VolumeMetrics.Layout(List.of("vol"), List.of(new double[] {1, 1, 1}), volume, slices, truth, H, W);
    RunOutcome a = run(1, 1, new int[] {0, 2, 4}, List.of(pred.get(0), pred.get(2), pred.get(4)));
    RunOutcome b = run(1, 2, new int[] {1, 3, 5}, List.of(pred.get(1), pred.get(3), pred.get(5)));
    RunOutcome whole = run(1, 0, new int[] {0, 1, 2, 3, 4, 5}, pred);
    VolumeMetrics.LossVolume folds = VolumeMetrics.of(List.of(a, b), layout).get(0), one = VolumeMetrics.of(List.of(whole), layout).get(0);
    assertEquals(one.dice().mean(), folds.dice().mean(), 0.0);
    assertEquals(one.hd95().mean(), folds.hd95().mean(), 0.0);
    assertEquals(6, folds.slices());
    // two seeds: mean ± std over them
    RunOutcome seed2 = run(2, 0, new int[] {0, 1, 2, 3, 4, 5}, truth);
    VolumeMetrics.LossVolume two = VolumeMetrics.of(List.of(whole, seed2), layout).get(0);
    assertEquals(2, two.dice().n());
    assertEquals((one.dice().mean() + 1.0) / 2, two.dice().mean(), 1e-12);
    assertEquals(0.0, two.perSeed().get(1).hd95(), 0.0);
  }
}
