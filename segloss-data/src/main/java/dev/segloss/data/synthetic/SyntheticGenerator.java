package dev.segloss.data.synthetic;

import dev.segloss.data.DataSpec;
import dev.segloss.data.Rng;
import dev.segloss.data.Sample;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Intensity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The built-in synthetic data set ({@code --data synthetic}): imbalanced binary segmentation that is hard
 * enough for the choice of loss to matter.
 *
 * <p><b>Background</b>, per image: fractal value noise over four octaves (cells of size/2, size/6, 6 and
 * 2.5 px: "tissue" texture), in half of the images an oriented, noise-warped ripple texture (wavelength
 * 5-14 px), in 40 % a straight tissue boundary (an intensity step across the image), distractors (see
 * below), then a smooth multiplicative bias field (exp of coarse noise plus a linear ramp: uneven
 * lighting, as in MRI), then Gaussian noise with a per-image sigma.
 *
 * <p><b>Distractors</b> ("clutter", Poisson with mean {@value #DISTRACTORS_PER_128} per 128x128 image,
 * times {@code clutter}), each looking a bit like foreground but separable by a local cue: dark holes
 * (opposite contrast), bright but checker-textured patches, thin bright rings, clusters of single bright
 * pixels (smaller than any lesion) and diffuse glows (Gaussian bumps: no sharp edge, unlike every
 * foreground object).
 *
 * <p><b>Foreground</b>: objects with a sharp (one pixel, anti-aliased) edge and a heterogeneous
 * interior, brighter than their surroundings by {@code contrast x} 1.1-2.4 units (0.9-1.9 for lesions
 * under 40 px: small lesions are faint), where the background texture has a standard deviation of about 1
 * and the pixel noise 0.3-0.5. Shapes: ellipses (aspect ratio up to 2.5),
 * irregular blobs (a disc perturbed by smooth noise, then thresholded) and thin elongated tubes (a
 * smooth random curve, 1.6-3 px wide). The mask is where the anti-aliased coverage is at least 1/2.
 *
 * <p><b>Sizes and counts.</b> A share {@code empty} of the images (default {@value DataSpec.Synthetic#DEFAULT_EMPTY}) has no
 * foreground. Each other image gets a target foreground fraction drawn from a log-normal law (sigma 1),
 * rescaled so that the mean over all images is {@code fg} and capped at {@value DataSpec.Synthetic#MAX_IMAGE_FG}; the
 * target area is split into 1 object (35 %), 2-3 objects (35 %) or 4-10 small lesions (30 %), each at
 * least {@value #MIN_OBJECT_AREA} px. So one data set holds small faint lesions of ~10 px as well as
 * blobs of thousands of pixels.
 *
 * <p><b>Determinism.</b> Image {@code i} depends only on (seed, i) and the options: it is drawn from its
 * own random stream ({@link Rng}), so generation on any number of threads gives the same images, and a
 * data set with more images starts with the same ones (the plan of per-image foreground targets depends
 * on n, though).
 *
 * <p><b>Default size.</b> {@value DataSpec.Synthetic#DEFAULT_N} images of {@value DataSpec.Synthetic#DEFAULT_SIZE}x{@value DataSpec.Synthetic#DEFAULT_SIZE}
 * (train/val/test 280/60/60 with the default split): 60 test images are enough for the paired test
 * across losses, and an epoch of 280 images is 35 steps of batch 8, so {@code compare} with 7 losses
 * stays within its 10-minute budget on 2 cores (the trainer sets epochs accordingly; 50 MiB in memory).
 */
public final class SyntheticGenerator {
  /** Smallest object, in pixels (a disc of radius 1.6). */
  public static final int MIN_OBJECT_AREA = 8;
  /** Mean number of distractors per 128x128 image at clutter=1. */
  public static final double DISTRACTORS_PER_128 = 4.0;

  private static final double LOGNORMAL_SIGMA = 1.0;

  private final DataSpec.Synthetic spec;
  private final double[] plan;

  public SyntheticGenerator(DataSpec.Synthetic spec) {
    this.spec = spec;
    this.plan = plan(spec);
  }

  /** The target foreground fraction of each image (0 for the empty ones); mean = fg. */
  public double[] plan() {
    return plan.clone();
  }

  /** All images, generated on {@code threads} threads (the result does not depend on it). */
  public List<Sample> generate(int threads) {
    int n = spec.n();
    Sample[] out = new Sample[n];
    if (threads <= 1 || n < 8) {
      for (int i = 0; i < n; i++) out[i] = image(i);
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "segloss-synthetic");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < threads; c++) {
          int from = (int) ((long) n * c / threads);
          int to = (int) ((long) n * (c + 1) / threads);
          fs.add(pool.submit(() -> {
            for (int i = from; i < to; i++) out[i] = image(i);
          }));
        }
        for (Future<?> f : fs) BatchLoader.await(f);
      } finally {
        pool.shutdownNow();
      }
    }
    return Arrays.asList(out);
  }

  /** Image {@code index} (0-based), normalised per {@code norm}, named {@code synthetic-NNNN}. */
  public Sample image(int index) {
    int s = spec.size();
    SplittableRandom rng = Rng.stream(spec.seed(), Rng.IMAGE, index);
    float[] img = new float[s * s];
    float[] cover = new float[s * s]; // foreground coverage in [0,1]
    float[] lift = new float[s * s]; // foreground intensity lift

    background(img, s, rng);
    int distractors = poisson(rng, DISTRACTORS_PER_128 * spec.clutter() * (s / 128.0) * (s / 128.0));
    for (int d = 0; d < distractors; d++) distractor(img, s, rng);

    double targetArea = plan[index] * s * s;
    if (targetArea > 0) foreground(cover, lift, s, targetArea, rng);
    float[] mask = new float[s * s];
    for (int p = 0; p < img.length; p++) {
      img[p] += lift[p];
      if (cover[p] >= 0.5f) mask[p] = 1f;
    }
    biasAndNoise(img, s, rng);
    Intensity.normalize(img, spec.norm());
    return new Sample(String.format("synthetic-%04d", index), s, s, img, mask, -1);
  }

  // ---------------------------------------------------------------- plan

  static double[] plan(DataSpec.Synthetic spec) {
    int n = spec.n();
    int s = spec.size();
    SplittableRandom rng = Rng.stream(spec.seed(), Rng.PLAN, n);
    int nEmpty = (int) Math.round(n * spec.empty());
    if (nEmpty >= n) nEmpty = n - 1;
    int[] perm = Rng.permutation(n, rng);
    boolean[] empty = new boolean[n];
    for (int i = 0; i < nEmpty; i++) empty[perm[i]] = true;
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      double z = rng.nextGaussian();
      f[i] = empty[i] ? 0 : Math.exp(LOGNORMAL_SIGMA * z - 0.5 * LOGNORMAL_SIGMA * LOGNORMAL_SIGMA);
    }
    // rescale to mean fg, clamping to [min object, MAX_IMAGE_FG]; iterate since clamping moves the mean
    double lo = Math.min(DataSpec.Synthetic.MAX_IMAGE_FG, MIN_OBJECT_AREA / (double) (s * s));
    double[] out = new double[n];
    double scale = spec.fg() * n / Arrays.stream(f).sum();
    for (int it = 0; it < 50; it++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        out[i] = empty[i] ? 0 : Math.min(DataSpec.Synthetic.MAX_IMAGE_FG, Math.max(lo, f[i] * scale));
        sum += out[i];
      }
      double mean = sum / n;
      if (Math.abs(mean - spec.fg()) < 1e-6 * spec.fg()) break;
      scale *= spec.fg() / mean;
    }
    return out;
  }

  // ---------------------------------------------------------------- background

  private void background(float[] img, int s, SplittableRandom rng) {
    Noise.addValueNoise(img, s, s, rng, s / 2.0, 0.8);
    Noise.addValueNoise(img, s, s, rng, s / 6.0, 0.55);
    Noise.addValueNoise(img, s, s, rng, 6.0, 0.3);
    Noise.addValueNoise(img, s, s, rng, 2.5, 0.2);
    if (rng.nextDouble() < 0.5) {
      // oriented ripples, warped by smooth noise
      double theta = rng.nextDouble() * Math.PI;
      double lambda = 5 + 9 * rng.nextDouble();
      double amp = 0.2 + 0.3 * rng.nextDouble();
      double phase = rng.nextDouble() * 2 * Math.PI;
      float[] warp = new float[s * s];
      Noise.addValueNoise(warp, s, s, rng, s / 4.0, 2.0);
      double cx = Math.cos(theta) * 2 * Math.PI / lambda;
      double cy = Math.sin(theta) * 2 * Math.PI / lambda;
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          int p = y * s + x;
          img[p] += (float) (amp * Math.sin(cx * x + cy * y + phase + warp[p]));
        }
      }
    }
    if (rng.nextDouble() < 0.4) {
      // a straight tissue boundary: an intensity step across the image, slightly blurred
      double theta = rng.nextDouble() * 2 * Math.PI;
      double nx = Math.cos(theta);
      double ny = Math.sin(theta);
      double c = (0.2 + 0.6 * rng.nextDouble()) * s;
      double off = (nx + ny) * s / 2 + (rng.nextDouble() - 0.5) * c;
      double step = (rng.nextBoolean() ? 1 : -1) * (0.5 + rng.nextDouble());
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          double d = nx * x + ny * y - off;
          img[y * s + x] += (float) (step / (1 + Math.exp(-d / 1.5)));
        }
      }
    }
  }

  private void distractor(float[] img, int s, SplittableRandom rng) {
    double cx = rng.nextDouble() * s;
    double cy = rng.nextDouble() * s;
    int type = rng.nextInt(5);
    switch (type) {
      case 0: { // dark hole: an ellipse with negative contrast
        double r = 3 + 7 * rng.nextDouble();
        double q = 1 + rng.nextDouble();
        double c = 0.8 + 1.2 * rng.nextDouble();
        Shapes.ellipse(s, cx, cy, r * Math.sqrt(q), r / Math.sqrt(q), rng.nextDouble() * Math.PI,
            (p, cov) -> img[p] -= (float) (cov * c));
        break;
      }
      case 1: { // bright but textured patch (checker pattern)
        double r = 4 + 10 * rng.nextDouble();
        double period = 3 + 2 * rng.nextDouble();
        double c = 1.2 + 1.3 * rng.nextDouble();
        Shapes.ellipse(s, cx, cy, r, r * (0.6 + 0.4 * rng.nextDouble()), rng.nextDouble() * Math.PI, (p, cov) -> {
          int x = p % s;
          int y = p / s;
          double t = Math.sin(Math.PI * x / period * 2) * Math.sin(Math.PI * y / period * 2);
          img[p] += (float) (cov * c * (t > 0 ? 1.0 : 0.0));
        });
        break;
      }
      case 2: { // thin bright ring
        double r = 4 + 8 * rng.nextDouble();
        double th = 0.8 + 0.8 * rng.nextDouble();
        double c = 1.0 + 1.5 * rng.nextDouble();
        Shapes.ring(s, cx, cy, r, th, (p, cov) -> img[p] += (float) (cov * c));
        break;
      }
      case 3: { // cluster of single bright pixels (salt)
        int k = 3 + rng.nextInt(8);
        for (int i = 0; i < k; i++) {
          int x = (int) Math.floor(cx + (rng.nextDouble() - 0.5) * 12);
          int y = (int) Math.floor(cy + (rng.nextDouble() - 0.5) * 12);
          if (x >= 0 && y >= 0 && x < s && y < s) img[y * s + x] += (float) (1.5 + 2.0 * rng.nextDouble());
        }
        break;
      }
      default: { // diffuse glow: Gaussian bump without an edge
        double sigma = 3 + 8 * rng.nextDouble();
        double a = 0.8 + 1.0 * rng.nextDouble();
        int r = (int) Math.ceil(3 * sigma);
        for (int y = Math.max(0, (int) cy - r); y < Math.min(s, (int) cy + r + 1); y++) {
          for (int x = Math.max(0, (int) cx - r); x < Math.min(s, (int) cx + r + 1); x++) {
            double d2 = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);
            img[y * s + x] += (float) (a * Math.exp(-d2 / (2 * sigma * sigma)));
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- foreground

  private void foreground(float[] cover, float[] lift, int s, double targetArea, SplittableRandom rng) {
    double u = rng.nextDouble();
    int k;
    if (u < 0.35) k = 1;
    else if (u < 0.70) k = 2 + rng.nextInt(2);
    else k = 4 + rng.nextInt(7);
    k = (int) Math.max(1, Math.min(k, Math.floor(targetArea / MIN_OBJECT_AREA)));
    double[] w = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      w[i] = -Math.log(1 - rng.nextDouble()); // Dirichlet(1,...,1) via exponentials
      sum += w[i];
    }
    for (int i = 0; i < k; i++) drawObject(cover, lift, s, Math.max(MIN_OBJECT_AREA, targetArea * w[i] / sum), rng);
    // top up when overlaps or clipping left the image well short of its target
    for (int attempt = 0; attempt < 4; attempt++) {
      int area = 0;
      for (float c : cover) if (c >= 0.5f) area++;
      if (area >= 0.8 * targetArea) break;
      drawObject(cover, lift, s, Math.max(MIN_OBJECT_AREA, targetArea - area), rng);
    }
  }

  private void drawObject(float[] cover, float[] lift, int s, double area, SplittableRandom rng) {
    boolean small = area < 40;
    double contrast = spec.contrast() * (small ? 0.9 + 1.0 * rng.nextDouble() : 1.1 + 1.3 * rng.nextDouble());
    // heterogeneous interior: the lift varies by +-25 % over a few pixels
    double texPhaseX = rng.nextDouble() * 100;
    double texPhaseY = rng.nextDouble() * 100;
    double texFreq = 0.5 + 0.7 * rng.nextDouble();
    Shapes.Sink sink = (p, cov) -> {
      int x = p % s;
      int y = p / s;
      double tex = 1 + 0.25 * Math.sin(texFreq * x + texPhaseX) * Math.sin(texFreq * 0.8 * y + texPhaseY);
      float c = (float) cov;
      if (c > cover[p]) cover[p] = c;
      float l = (float) (contrast * cov * tex);
      if (l > lift[p]) lift[p] = l;
    };
    double shape = rng.nextDouble();
    int type; // 0 ellipse, 1 blob, 2 tube
    if (small) type = shape < 0.7 ? 0 : 1;
    else if (area < 400) type = shape < 0.35 ? 0 : (shape < 0.7 ? 1 : 2);
    else type = shape < 0.3 ? 0 : (shape < 0.8 ? 1 : 2);
    if (type == 1 && area < 20) type = 0;
    if (type == 2) {
      double width = 1.6 + 1.4 * rng.nextDouble();
      double length = area / width;
      double maxLength = 0.9 * s;
      if (length > maxLength) {
        width = area / maxLength;
        length = maxLength;
      }
      if (width <= 5) {
        Shapes.tube(s, rng, length, width, sink);
        return;
      }
      type = 1;
    }
    double r = Math.sqrt(area / Math.PI);
    double margin = Math.min(r, s / 4.0);
    double cx = margin + rng.nextDouble() * (s - 2 * margin);
    double cy = margin + rng.nextDouble() * (s - 2 * margin);
    if (type == 0) {
      double q = small ? 1 + 0.6 * rng.nextDouble() : 1 + 1.5 * rng.nextDouble();
      Shapes.ellipse(s, cx, cy, r * Math.sqrt(q), r / Math.sqrt(q), rng.nextDouble() * Math.PI, sink);
    } else {
      Shapes.blob(s, cx, cy, r, rng, sink);
    }
  }

  // ---------------------------------------------------------------- acquisition

  private void biasAndNoise(float[] img, int s, SplittableRandom rng) {
    float[] bias = new float[s * s];
    Noise.addValueNoise(bias, s, s, rng, s / 1.5, 0.3);
    double theta = rng.nextDouble() * 2 * Math.PI;
    double ramp = 0.6 * (rng.nextDouble() * 2 - 1);
    double nx = Math.cos(theta) * ramp / s;
    double ny = Math.sin(theta) * ramp / s;
    double sigma = 0.3 + 0.2 * rng.nextDouble();
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int p = y * s + x;
        double gain = Math.exp(bias[p] + nx * (x - s / 2.0) + ny * (y - s / 2.0));
        img[p] = (float) ((3.0 + img[p]) * gain + sigma * rng.nextGaussian());
      }
    }
  }

  static int poisson(SplittableRandom rng, double mean) {
    if (mean <= 0) return 0;
    double l = Math.exp(-mean);
    int k = 0;
    double p = rng.nextDouble();
    while (p > l) {
      k++;
      p *= rng.nextDouble();
    }
    return k;
  }
}
