package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.DataSpec;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.MemoryCheck;
import dev.segloss.data.Options;
import dev.segloss.data.Pool;
import dev.segloss.data.Rng;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.transform.Geometry;
import dev.segloss.data.transform.Intensity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Turns a labelled NIfTI volume into a 2-D data set ({@code --data nifti:image=...,labels=...}).
 *
 * <ol>
 *   <li><b>Grids.</b> The label volume must have the image's three spatial sizes and voxel-to-world
 *       matrix (sform, else qform, else voxel sizes; {@link NiftiHeader#affine()}) within {@code
 *       affine_tol} mm per entry (default {@value DataSpec.Nifti#DEFAULT_AFFINE_TOL}); otherwise the load is refused
 *       with both grids in the message — resample the labels onto the image first.
 *   <li><b>Foreground.</b> Voxels whose label rounds to one of {@code label=37+38} (default: any non-zero
 *       label). A label list that matches nothing is refused, listing the labels present.
 *   <li><b>Axis.</b> {@code axial}, {@code coronal} and {@code sagittal} pick the voxel axis whose world
 *       direction is closest to superior, anterior and right (RAS+ world coordinates of NIfTI); {@code
 *       i, j, k} pick a voxel axis directly. A slice's rows run along the higher remaining voxel axis and
 *       its columns along the lower one; rows are flipped so that superior (or anterior, for axial
 *       slices) is at the top, as viewers show them.
 *   <li><b>Intensity.</b> Normalised over the whole volume ({@link Intensity}, mode {@code norm}) with
 *       statistics taken over the "head": voxels brighter than {@value #TISSUE_LEVEL} of the way from the
 *       0.5th to the 99.5th percentile of all voxels (so the air around the head does not set the mean).
 *       NaN/Inf voxels count as 0 (a warning says how many).
 *   <li><b>Size.</b> {@code size=auto} (default): the bounding box, over all slices, of the head and the
 *       foreground, plus a {@value #MARGIN}-pixel margin, padded up to the size multiple; {@code size=full}:
 *       the whole slice padded up to the multiple; {@code size=HxW}: that window (rounded up to the
 *       multiple) centred on the bounding box (a warning counts foreground voxels it cuts). Padding uses
 *       the normalised value of the lower clipping bound (the darkest tissue, usually the background).
 *   <li><b>Slices kept.</b> Every slice with foreground, plus {@code empty_ratio} (default {@value
 *       DataSpec.Nifti#DEFAULT_EMPTY_RATIO}) slices without foreground per slice with it ({@code all} keeps all),
 *       drawn with the seed among the slices that show at least {@value #MIN_TISSUE_SHARE} head.
 *   <li><b>Split in slabs.</b> The range of kept slices is cut into slabs of {@code slab} slices
 *       (default: the range of foreground slices over {@value #TARGET_SLABS}, at least 3); slabs are dealt to train/val/test in a seeded
 *       order, each to the part furthest below its share of foreground slices, relative to that share
 *       (so the first three go to train, val and test; slabs without foreground are dealt afterwards by
 *       share of all slices). Then, wherever slices of different parts are {@code gap} (default {@value
 *       DataSpec.Nifti#DEFAULT_GAP}) or fewer positions apart, slices are dropped (from the training side, else the later
 *       one) until none are: neighbouring slices never straddle two parts.
 * </ol>
 */
public final class NiftiLoader {
  /** Share of the robust intensity range above which a voxel counts as head/tissue ({@link Intensity#TISSUE_LEVEL}). */
  public static final double TISSUE_LEVEL = Intensity.TISSUE_LEVEL;
  /** Minimum share of head pixels for an empty slice to be a candidate. */
  public static final double MIN_TISSUE_SHARE = 0.05;
  /** Margin around the automatic bounding box, pixels. */
  public static final int MARGIN = 4;
  /** Number of slabs the automatic slab thickness aims at. */
  static final int TARGET_SLABS = 12;

  private NiftiLoader() {}

  public static SegDataset load(DataSpec.Nifti spec, LoadOptions options) {
    List<String> warnings = new ArrayList<>();
    NiftiHeader ih = NiftiReader.readHeader(spec.image());
    NiftiHeader lh = NiftiReader.readHeader(spec.labels());
    checkGrids(spec, ih, lh);
    int frame = spec.volume() < 0 ? 0 : spec.volume();
    if (spec.volume() < 0 && ih.frames() > 1) {
      throw new InvalidInputException("--data nifti: image " + spec.image() + " holds " + ih.frames()
          + " volumes (" + ih.describe() + "); choose one with volume=N");
    }
    if (spec.volume() >= ih.frames()) {
      throw new InvalidInputException("--data nifti: option 'volume' = " + spec.volume() + " but image " + spec.image()
          + " holds " + ih.frames() + " volume(s)");
    }
    if (lh.frames() > 1) {
      throw new InvalidInputException("--data nifti: labels " + spec.labels() + " hold " + lh.frames()
          + " volumes (" + lh.describe() + "); expected one label volume");
    }
    int[] n = ih.spatialDims();
    SliceGeometry g = SliceGeometry.of(ih, spec.axis());
    int axis = g.axis();
    int u = g.colAxis();
    int v = g.rowAxis();
    long nvox = ih.voxelsPerFrame();
    long planeMax = (long) Geometry.roundUp(n[v], options.sizeMultiple()) * Geometry.roundUp(n[u], options.sizeMultiple());
    if (spec.size() != null) planeMax = Math.max(planeMax, (long) spec.size()[0] * spec.size()[1]);
    long bytes = nvox * 4L * 2 + nvox + MemoryCheck.pairBytes(n[axis], 1, planeMax) + (1L << 20);
    MemoryCheck.require(bytes, "volume " + spec.image().getFileName() + " (" + ih.describe() + ") with its labels and up to "
        + n[axis] + " slices", options);

    float[] img = NiftiReader.read(spec.image(), frame).data();
    float[] lab = NiftiReader.read(spec.labels(), 0).data();
    boolean[] fg = foreground(spec, lab);
    lab = null; // free

    // head/tissue mask and intensity normalisation over it: the rule predict shares
    Intensity.VolumeNormalization vn = Intensity.normalizeVolume(img, spec.norm());
    if (vn.nonFinite() > 0) warnings.add("image " + spec.image().getFileName() + ": " + vn.nonFinite() + " NaN/Inf voxels were set to 0");
    boolean[] tissue = vn.tissue();
    float fill = vn.fill();

    // in-plane window, in slice coordinates (rows along v, columns along u; rows flipped when flipRows)
    int rowsN = g.rows();
    int colsN = g.cols();
    int colStride = g.colStride();
    int r0 = rowsN;
    int r1 = -1;
    int c0 = colsN;
    int c1 = -1;
    for (int s = 0; s < n[axis]; s++) {
      for (int r = 0; r < rowsN; r++) {
        int base = g.rowBase(s, r);
        for (int c = 0; c < colsN; c++) {
          int p = base + c * colStride;
          if (tissue[p] || fg[p]) {
            if (r < r0) r0 = r;
            if (r > r1) r1 = r;
            if (c < c0) c0 = c;
            if (c > c1) c1 = c;
          }
        }
      }
    }
    int m = options.sizeMultiple();
    int H;
    int W;
    int top;
    int left;
    if (spec.full() || r1 < 0) {
      H = Geometry.roundUp(rowsN, m);
      W = Geometry.roundUp(colsN, m);
      top = -(H - rowsN) / 2;
      left = -(W - colsN) / 2;
    } else {
      int bh = r1 - r0 + 1;
      int bw = c1 - c0 + 1;
      if (spec.size() != null) {
        H = Geometry.roundUp(spec.size()[0], m);
        W = Geometry.roundUp(spec.size()[1], m);
      } else {
        H = Geometry.roundUp(bh + 2 * MARGIN, m);
        W = Geometry.roundUp(bw + 2 * MARGIN, m);
      }
      top = r0 - (H - bh) / 2;
      left = c0 - (W - bw) / 2;
    }

    // slices
    int ns = n[axis];
    float[][] sliceImg = new float[ns][];
    float[][] sliceMask = new float[ns][];
    int[] fgCount = new int[ns];
    double[] tissueShare = new double[ns];
    long cut = 0;
    for (int s = 0; s < ns; s++) {
      float[] si = new float[H * W];
      float[] sm = new float[H * W];
      Arrays.fill(si, fill);
      int t = 0;
      for (int r = 0; r < rowsN; r++) {
        int base = g.rowBase(s, r);
        int y = r - top;
        for (int c = 0; c < colsN; c++) {
          int p = base + c * colStride;
          int x = c - left;
          boolean inside = y >= 0 && y < H && x >= 0 && x < W;
          if (!inside) {
            if (fg[p]) cut++;
            continue;
          }
          si[y * W + x] = img[p];
          if (fg[p]) {
            sm[y * W + x] = 1f;
            fgCount[s]++;
          }
          if (tissue[p]) t++;
        }
      }
      tissueShare[s] = t / (double) (H * W);
      sliceImg[s] = si;
      sliceMask[s] = sm;
    }
    if (cut > 0) warnings.add("size " + H + "x" + W + " cuts " + cut + " foreground voxels outside the window");

    // slices kept
    List<Integer> fgSlices = new ArrayList<>();
    List<Integer> emptyCandidates = new ArrayList<>();
    for (int s = 0; s < ns; s++) {
      if (fgCount[s] > 0) fgSlices.add(s);
      else if (tissueShare[s] >= MIN_TISSUE_SHARE) emptyCandidates.add(s);
    }
    if (fgSlices.isEmpty()) {
      throw new InvalidInputException("--data nifti: no " + spec.axis().label() + " slice of size " + H + "x" + W
          + " contains foreground (the window cuts it all; use size=auto or size=full)");
    }
    int keepEmpty = Double.isInfinite(spec.emptyRatio()) ? emptyCandidates.size()
        : (int) Math.min(emptyCandidates.size(), Math.round(spec.emptyRatio() * fgSlices.size()));
    boolean[] kept = new boolean[ns];
    for (int s : fgSlices) kept[s] = true;
    SplittableRandom rng = Rng.stream(options.seed(), Rng.SLICES);
    int[] perm = Rng.permutation(emptyCandidates.size(), rng);
    for (int i = 0; i < keepEmpty; i++) kept[emptyCandidates.get(perm[i])] = true;

    Split[] part = slabSplit(kept, fgCount, spec.slab(), spec.gap(), options, rng);
    String stem = stem(spec.image());
    List<Sample> train = new ArrayList<>();
    List<Sample> val = new ArrayList<>();
    List<Sample> test = new ArrayList<>();
    // every kept slice, in slabs, for cross-validation (Folds); the single split's parts share its samples
    List<Sample> pooled = new ArrayList<>();
    List<Integer> slabOf = new ArrayList<>();
    int slab = slabThickness(kept, fgCount, spec.slab());
    int first = -1;
    int lastSlab = -1;
    int group = -1;
    for (int s = 0; s < ns; s++) {
      if (!kept[s]) continue;
      if (first < 0) first = s;
      Sample x = new Sample(String.format(Locale.ROOT, "%s:%s:%03d", stem, spec.axis().label(), s), H, W, sliceImg[s],
          sliceMask[s], s);
      int b = (s - first) / slab;
      if (b != lastSlab) {
        group++;
        lastSlab = b;
      }
      pooled.add(x);
      slabOf.add(group);
      if (part[s] != null) (part[s] == Split.TRAIN ? train : part[s] == Split.VAL ? val : test).add(x);
    }
    double[] sp = ih.spacing();
    double mm = NiftiFiles.millimetresPerUnit(ih);
    Pool.Volume volume = new Pool.Volume(stem, new double[] {sp[axis] * mm, sp[v] * mm, sp[u] * mm});
    Pool pool = new Pool(pooled, slabOf.stream().mapToInt(Integer::intValue).toArray(), new int[pooled.size()], spec.gap(),
        "slabs of " + slab + " slices", List.of(volume), false);
    return SegDataset.of(spec.canonical(), H, W, train, val, test, warnings, List.of(), options, pool);
  }

  /** The slab thickness of the split: {@code slab}, or automatic (the foreground range / {@value #TARGET_SLABS}, at least 3). */
  static int slabThickness(boolean[] kept, int[] fgCount, int slabOption) {
    if (slabOption > 0) return slabOption;
    int fgFirst = -1;
    int fgLast = -1;
    for (int s = 0; s < kept.length; s++) {
      if (kept[s] && fgCount[s] > 0) {
        if (fgFirst < 0) fgFirst = s;
        fgLast = s;
      }
    }
    return Math.max(3, (int) Math.ceil((fgLast - fgFirst + 1) / (double) TARGET_SLABS));
  }

  /**
   * Assigns kept slices to parts in contiguous slabs; returns null for slices not used (not kept, or
   * dropped for the gap).
   */
  static Split[] slabSplit(boolean[] kept, int[] fgCount, int slabOption, int gap, LoadOptions options,
      SplittableRandom rng) {
    int ns = kept.length;
    int first = -1;
    int last = -1;
    int keptCount = 0;
    int fgTotal = 0;
    for (int s = 0; s < ns; s++) {
      if (kept[s]) {
        if (first < 0) first = s;
        last = s;
        keptCount++;
        if (fgCount[s] > 0) fgTotal++;
      }
    }
    int range = last - first + 1;
    int slab = slabThickness(kept, fgCount, slabOption);
    int slabs = (range + slab - 1) / slab;
    double[] frac = {1 - options.valFraction() - options.testFraction(), options.valFraction(), options.testFraction()};
    int partsNeeded = 0;
    for (double f : frac) if (f > 0) partsNeeded++;
    if (slabs < partsNeeded) {
      throw new InvalidInputException("--data nifti: the " + range + " slices with data make " + slabs + " slab(s) of "
          + slab + ", too few for a train/val/test split; use a thinner slab (option 'slab') or more empty slices ('empty_ratio')");
    }
    int[] slabFg = new int[slabs];
    int[] slabKept = new int[slabs];
    for (int s = first; s <= last; s++) {
      if (!kept[s]) continue;
      int b = (s - first) / slab;
      slabKept[b]++;
      if (fgCount[s] > 0) slabFg[b]++;
    }
    int[] order = Rng.permutation(slabs, rng);
    Split[] slabPart = new Split[slabs];
    int[] gotFg = new int[3];
    int[] gotAll = new int[3];
    // first the slabs with foreground, by foreground quota; then the others, by slice quota
    for (int pass = 0; pass < 2; pass++) {
      for (int b : order) {
        boolean hasFg = slabFg[b] > 0;
        if (hasFg != (pass == 0)) continue;
        int best = -1;
        double bestDeficit = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < 3; p++) {
          if (frac[p] <= 0) continue;
          // relative deficit: every part starts at 1, so the first slabs go to train, val, test in turn
          double deficit = pass == 0 ? 1 - gotFg[p] / (frac[p] * fgTotal) : 1 - gotAll[p] / (frac[p] * keptCount);
          if (deficit > bestDeficit + 1e-12) {
            bestDeficit = deficit;
            best = p;
          }
        }
        slabPart[b] = Split.values()[best];
        gotFg[best] += slabFg[b];
        gotAll[best] += slabKept[b];
      }
    }
    Split[] part = new Split[ns];
    for (int s = first; s <= last; s++) if (kept[s]) part[s] = slabPart[(s - first) / slab];
    // enforce the gap: consecutive used slices of different parts must be more than gap apart
    boolean changed = true;
    while (changed) {
      changed = false;
      int prev = -1;
      for (int s = first; s <= last; s++) {
        if (part[s] == null) continue;
        if (prev >= 0 && part[prev] != part[s] && s - prev <= gap) {
          int drop = part[prev] == Split.TRAIN ? prev : s;
          part[drop] = null;
          changed = true;
          break;
        }
        prev = s;
      }
    }
    for (int p = 0; p < 3; p++) {
      if (frac[p] <= 0) continue;
      boolean any = false;
      for (Split x : part) any |= x == Split.values()[p];
      if (!any) {
        throw new InvalidInputException("--data nifti: the slab split left the " + Split.values()[p].label()
            + " part empty (" + range + " slices, slabs of " + slab + ", gap " + gap + "); use a thinner slab (option 'slab')");
      }
    }
    return part;
  }

  static boolean[] foreground(DataSpec.Nifti spec, float[] lab) {
    boolean[] fg = new boolean[lab.length];
    int[] want = spec.labelValues();
    long count = 0;
    for (int i = 0; i < lab.length; i++) {
      float x = lab[i];
      if (!Float.isFinite(x)) continue;
      boolean on;
      if (want == null) {
        on = Math.round(x) != 0;
      } else {
        on = Arrays.binarySearch(want, Math.round(x)) >= 0;
      }
      if (on) {
        fg[i] = true;
        count++;
      }
    }
    if (count == 0) {
      TreeSet<Integer> present = new TreeSet<>();
      for (float x : lab) {
        if (Float.isFinite(x) && Math.round(x) != 0) present.add(Math.round(x));
        if (present.size() > 40) break;
      }
      String list = present.isEmpty() ? "none (every voxel is 0)" : present.toString();
      throw new InvalidInputException("--data nifti: no voxel of labels " + spec.labels() + " has "
          + (want == null ? "a non-zero label" : "label " + String.join("+", Arrays.stream(want).mapToObj(Integer::toString).toArray(String[]::new)))
          + "; labels present: " + list);
    }
    return fg;
  }

  /** Refuses label volumes on another voxel grid than the image. */
  static void checkGrids(DataSpec.Nifti spec, NiftiHeader ih, NiftiHeader lh) {
    int[] a = ih.spatialDims();
    int[] b = lh.spatialDims();
    if (!Arrays.equals(a, b)) {
      throw new InvalidInputException("--data nifti: image " + spec.image() + " is " + a[0] + "x" + a[1] + "x" + a[2]
          + " voxels but labels " + spec.labels() + " are " + b[0] + "x" + b[1] + "x" + b[2]
          + "; the labels must be on the image's voxel grid (resample them first)");
    }
    double[][] x = ih.affine();
    double[][] y = lh.affine();
    double worst = 0;
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(x[r][c] - y[r][c]));
    if (worst > spec.affineTol()) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "--data nifti: image %s and labels %s have different voxel-to-world matrices (%s %s vs %s %s, largest difference %.4g mm > affine_tol %s); resample the labels onto the image",
          spec.image(), spec.labels(), ih.affineSource(), NiftiHeader.matrix(x), lh.affineSource(), NiftiHeader.matrix(y), worst,
          Options.fmt(spec.affineTol())));
    }
  }

  /** The file name without {@code .nii.gz}, {@code .nii}, {@code .hdr.gz} or {@code .hdr}. */
  public static String stem(Path p) {
    String name = p.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".nii.gz", ".nii", ".hdr.gz", ".hdr"}) {
      if (lower.endsWith(ext)) return name.substring(0, name.length() - ext.length());
    }
    return name;
  }
}
