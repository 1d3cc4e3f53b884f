package dev.segloss.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Anti-aliased shapes for the synthetic generator: each reports, for every pixel it touches, its
 * coverage in (0, 1] (approximately 0.5 minus the signed distance of the pixel centre to the edge).
 */
final class Shapes {
  private Shapes() {}

  /** Receives (pixel index, coverage) pairs. */
  @FunctionalInterface
  interface Sink {
    void accept(int pixel, double coverage);
  }

  static double clamp01(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }

  /** Ellipse with semi-axes a, b rotated by angle, centred at (cx, cy) in pixel units. */
  static void ellipse(int s, double cx, double cy, double a, double b, double angle, Sink sink) {
    double ext = Math.max(a, b) + 1.5;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    for (int y = Math.max(0, (int) Math.floor(cy - ext)); y < Math.min(s, (int) Math.ceil(cy + ext)); y++) {
      for (int x = Math.max(0, (int) Math.floor(cx - ext)); x < Math.min(s, (int) Math.ceil(cx + ext)); x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        double rho = Math.sqrt((u / a) * (u / a) + (v / b) * (v / b));
        double cov;
        if (rho < 1e-9) {
          cov = 1;
        } else {
          double dist = Math.sqrt(u * u + v * v);
          double edge = dist / rho; // distance from the centre to the edge in this direction
          cov = clamp01(0.5 - (dist - edge));
        }
        if (cov > 0) sink.accept(y * s + x, cov);
      }
    }
  }

  /** Ring of radius r and given thickness. */
  static void ring(int s, double cx, double cy, double r, double thickness, Sink sink) {
    double ext = r + thickness + 1.5;
    for (int y = Math.max(0, (int) Math.floor(cy - ext)); y < Math.min(s, (int) Math.ceil(cy + ext)); y++) {
      for (int x = Math.max(0, (int) Math.floor(cx - ext)); x < Math.min(s, (int) Math.ceil(cx + ext)); x++) {
        double d = Math.abs(Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r);
        double cov = clamp01(thickness / 2 - d + 0.5);
        if (cov > 0) sink.accept(y * s + x, cov);
      }
    }
  }

  /**
   * Irregular blob of nominal radius r: the field {@code 1 - (d/r)^2 + 0.7 * noise} (smooth unit
   * noise with cells of 0.7 r) thresholded at 0; the coverage uses the field's slope at the nominal
   * edge (2/r per pixel) to turn field values into distances.
   */
  static void blob(int s, double cx, double cy, double r, SplittableRandom rng, Sink sink) {
    double ext = 1.8 * r + 1;
    int y0 = Math.max(0, (int) Math.floor(cy - ext));
    int y1 = Math.min(s, (int) Math.ceil(cy + ext));
    int x0 = Math.max(0, (int) Math.floor(cx - ext));
    int x1 = Math.min(s, (int) Math.ceil(cx + ext));
    int h = y1 - y0;
    int w = x1 - x0;
    if (h <= 0 || w <= 0) return;
    float[] noise = new float[h * w];
    Noise.addValueNoise(noise, h, w, rng, Math.max(2.0, 0.7 * r), 0.7);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double d2 = (dx * dx + dy * dy) / (r * r);
        if (d2 > 3.24) continue;
        double f = 1 - d2 + noise[(y - y0) * w + (x - x0)];
        double cov = clamp01(0.5 + f * r / 2);
        if (cov > 0) sink.accept(y * s + x, cov);
      }
    }
  }

  /**
   * Thin tube of the given width along a smooth random curve of the given length: unit steps whose
   * heading turns by a slowly drifting curvature, bouncing off the image border.
   */
  static void tube(int s, SplittableRandom rng, double length, double width, Sink sink) {
    double x = s * (0.15 + 0.7 * rng.nextDouble());
    double y = s * (0.15 + 0.7 * rng.nextDouble());
    double theta = rng.nextDouble() * 2 * Math.PI;
    double kappa = rng.nextGaussian() * 0.03;
    List<double[]> pts = new ArrayList<>();
    pts.add(new double[] {x, y});
    double lo = 2;
    double hi = s - 2;
    for (int i = 0; i < (int) Math.ceil(length); i++) {
      kappa += rng.nextGaussian() * 0.006;
      kappa = Math.max(-0.08, Math.min(0.08, kappa));
      theta += kappa;
      double nx = x + Math.cos(theta);
      double ny = y + Math.sin(theta);
      if (nx < lo || nx > hi) {
        theta = Math.PI - theta;
        nx = x + Math.cos(theta);
      }
      if (ny < lo || ny > hi) {
        theta = -theta;
        ny = y + Math.sin(theta);
      }
      x = Math.max(lo, Math.min(hi, nx));
      y = Math.max(lo, Math.min(hi, ny));
      pts.add(new double[] {x, y});
    }
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (double[] p : pts) {
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    double ext = width / 2 + 1.5;
    for (int py = Math.max(0, (int) Math.floor(minY - ext)); py < Math.min(s, (int) Math.ceil(maxY + ext)); py++) {
      for (int px = Math.max(0, (int) Math.floor(minX - ext)); px < Math.min(s, (int) Math.ceil(maxX + ext)); px++) {
        double qx = px + 0.5;
        double qy = py + 0.5;
        double best = Double.MAX_VALUE;
        for (int i = 1; i < pts.size(); i++) {
          best = Math.min(best, segmentDistance2(qx, qy, pts.get(i - 1), pts.get(i)));
        }
        double cov = clamp01(width / 2 - Math.sqrt(best) + 0.5);
        if (cov > 0) sink.accept(py * s + px, cov);
      }
    }
  }

  static double segmentDistance2(double qx, double qy, double[] a, double[] b) {
    double vx = b[0] - a[0];
    double vy = b[1] - a[1];
    double len2 = vx * vx + vy * vy;
    double t = len2 == 0 ? 0 : ((qx - a[0]) * vx + (qy - a[1]) * vy) / len2;
    t = Math.max(0, Math.min(1, t));
    double dx = qx - a[0] - t * vx;
    double dy = qy - a[1] - t * vy;
    return dx * dx + dy * dy;
  }
}
