package dev.segloss.data;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.transform.Intensity;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A parsed {@code --data} value. Three forms:
 *
 * <ul>
 *   <li>{@code synthetic} or {@code synthetic:fg=0.02,size=128,n=400,seed=7} — the built-in generator
 *       ({@link Synthetic}, see {@link dev.segloss.data.synthetic.SyntheticGenerator} for what it draws);
 *   <li>a folder path, or {@code folder:path=DIR[,size=HxW][,norm=...][,mask_suffix=_mask]} — {@code images/} and {@code
 *       masks/} paired by file stem ({@link Folder}, see {@link dev.segloss.data.folder.FolderLoader});
 *   <li>{@code nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=37+38,axis=axial[,...]} — 2-D slices of a
 *       labelled volume ({@link Nifti}, see {@link dev.segloss.data.nifti.NiftiLoader}).
 * </ul>
 *
 * Options are {@code key=value} separated by commas (so values, including paths, cannot contain a
 * comma). The word {@code synthetic} alone always means the generator; write {@code ./synthetic} for a
 * folder of that name. Every error is one line that quotes the value and names the option.
 */
public sealed interface DataSpec permits DataSpec.Synthetic, DataSpec.Folder, DataSpec.Nifti {

  /** The canonical text of this spec with every default spelled out (saved in config.json). */
  String canonical();

  /** The intensity normalisation ({@code norm=}). */
  Intensity.Mode norm();

  /** This spec with another intensity normalisation (e.g. {@code none}: the raw images, for export). */
  DataSpec withNorm(Intensity.Mode norm);

  /** Parses a {@code --data} value. */
  static DataSpec parse(String text) {
    if (text == null || text.isBlank()) throw new InvalidInputException("--data: expected synthetic[:options], a folder or nifti:..., got an empty value");
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("synthetic") || lower.startsWith("synthetic:")) {
      return Synthetic.parse(t, t.length() > 10 ? t.substring(10) : "");
    }
    if (lower.startsWith("nifti:")) return Nifti.parse(t, t.substring(6));
    if (lower.startsWith("folder:")) return Folder.parse(t, t.substring(7));
    return new Folder(Path.of(t), null, Intensity.Mode.ZSCORE, "");
  }

  /**
   * The built-in synthetic data set.
   *
   * @param fg target mean foreground fraction over all images, empty ones included (default {@value
   *     #DEFAULT_FG})
   * @param size image side in pixels (default {@value #DEFAULT_SIZE})
   * @param n number of images (default {@value #DEFAULT_N})
   * @param seed generator seed (default {@value #DEFAULT_SEED}, fixed so that the
   *     default data set is the same whatever {@code --seed} the training uses)
   * @param empty share of images without foreground (default {@value #DEFAULT_EMPTY})
   * @param contrast scales the foreground contrast (default 1; lower is harder)
   * @param clutter scales the number of distractors (default 1; higher is harder)
   * @param norm intensity normalisation (default zscore)
   */
  record Synthetic(double fg, int size, int n, long seed, double empty, double contrast, double clutter, Intensity.Mode norm)
      implements DataSpec {
    static final List<String> KEYS = List.of("fg", "size", "n", "seed", "empty", "contrast", "clutter", "norm");
    /** Default mean foreground fraction (the seed's "rare foreground" regime: 2 % of pixels). */
    public static final double DEFAULT_FG = 0.02;
    /** Default image side. */
    public static final int DEFAULT_SIZE = 128;
    /** Default number of images. */
    public static final int DEFAULT_N = 400;
    /** Default generator seed. */
    public static final long DEFAULT_SEED = 7;
    /** Default share of images without foreground. */
    public static final double DEFAULT_EMPTY = 0.15;
    /** Largest foreground fraction of one image. */
    public static final double MAX_IMAGE_FG = 0.35;

    /** The default data set: {@code synthetic}. */
    public static Synthetic defaults() {
      return new Synthetic(DEFAULT_FG, DEFAULT_SIZE, DEFAULT_N,
          DEFAULT_SEED, DEFAULT_EMPTY, 1.0, 1.0, Intensity.Mode.ZSCORE);
    }

    static Synthetic parse(String context, String opts) {
      Options o = Options.parse(context, opts, KEYS);
      double fg = o.number("fg", DEFAULT_FG, 0, 0.5, true);
      int size = o.integer("size", DEFAULT_SIZE, 16, 4096);
      int n = o.integer("n", DEFAULT_N, 3, 10_000_000);
      long seed = o.longValue("seed", DEFAULT_SEED);
      double empty = o.number("empty", DEFAULT_EMPTY, 0, 0.95, false);
      double contrast = o.number("contrast", 1.0, 0, 10, true);
      double clutter = o.number("clutter", 1.0, 0, 10, false);
      Intensity.Mode norm = o.norm("norm");
      // the foreground of the non-empty images must fit: their mean fraction is fg / (1 - empty)
      if (fg / (1 - empty) > MAX_IMAGE_FG * 0.8) {
        throw o.error("option 'fg' = " + Options.fmt(fg) + " with empty = " + Options.fmt(empty)
            + " asks for a mean foreground of " + String.format(Locale.ROOT, "%.2f", fg / (1 - empty))
            + " in non-empty images; the generator supports up to " + Options.fmt(MAX_IMAGE_FG * 0.8));
      }
      return new Synthetic(fg, size, n, seed, empty, contrast, clutter, norm);
    }

    @Override
    public Synthetic withNorm(Intensity.Mode norm) {
      return new Synthetic(fg, size, n, seed, empty, contrast, clutter, norm);
    }

    @Override
    public String canonical() {
      return "synthetic:fg=" + Options.fmt(fg) + ",size=" + size + ",n=" + n + ",seed=" + seed + ",empty=" + Options.fmt(empty)
          + ",contrast=" + Options.fmt(contrast) + ",clutter=" + Options.fmt(clutter) + ",norm=" + norm.label();
    }
  }

  /**
   * A folder of images and masks.
   *
   * @param path the folder holding {@code images/} and {@code masks/} (or {@code train/}, {@code val/},
   *     {@code test/} each holding both)
   * @param size the common size {height, width}, or null to derive it (see {@link dev.segloss.data.folder.FolderLoader})
   * @param norm intensity normalisation per image (default zscore)
   * @param maskSuffix removed from mask file stems before pairing ({@code mask_suffix=_mask}: {@code
   *     images/a.png} + {@code masks/a_mask.png}); default none
   */
  record Folder(Path path, int[] size, Intensity.Mode norm, String maskSuffix) implements DataSpec {
    static final List<String> KEYS = List.of("path", "size", "norm", "mask_suffix");

    static Folder parse(String context, String opts) {
      Options o = Options.parse(context, opts, KEYS);
      return new Folder(Path.of(o.required("path")), o.size("size", 8, 16384), o.norm("norm"),
          o.string("mask_suffix", ""));
    }

    @Override
    public Folder withNorm(Intensity.Mode norm) {
      return new Folder(path, size, norm, maskSuffix);
    }

    @Override
    public String canonical() {
      return "folder:path=" + path + (size == null ? "" : ",size=" + size[0] + "x" + size[1]) + ",norm=" + norm.label()
          + (maskSuffix.isEmpty() ? "" : ",mask_suffix=" + maskSuffix);
    }
  }

  /** Slicing axis of a volume: anatomical (from the orientation matrix) or a voxel axis. */
  enum Axis {
    AXIAL,
    CORONAL,
    SAGITTAL,
    I,
    J,
    K;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The value of option {@code axis}: axial (or transverse), coronal, sagittal, i/j/k (or 0/1/2, x/y/z). */
    public static Axis parse(Options o, String def) {
      String a = o.string("axis", def).toLowerCase(Locale.ROOT);
      switch (a) {
        case "axial": case "transverse": return AXIAL;
        case "coronal": return CORONAL;
        case "sagittal": return SAGITTAL;
        case "i": case "0": case "x": return I;
        case "j": case "1": case "y": return J;
        case "k": case "2": case "z": return K;
        default:
          throw o.error("option 'axis' expects axial, coronal, sagittal, i, j or k, got '" + a + "'");
      }
    }
  }

  /**
   * 2-D slices of a labelled NIfTI volume.
   *
   * @param image the intensity volume (.nii, .nii.gz, or .hdr/.img)
   * @param labels the label volume on the same grid
   * @param labelValues the label values forming the foreground ({@code label=37+38}); null means every
   *     non-zero label
   * @param axis slicing axis ({@code axis=axial|coronal|sagittal|i|j|k|0|1|2}, default axial)
   * @param emptyRatio empty (foreground-free) slices kept per foreground slice ({@code empty_ratio},
   *     default {@value #DEFAULT_EMPTY_RATIO})
   * @param slab slab thickness in slices for the split ({@code slab}, 0 = automatic)
   * @param gap slices dropped between slabs of different splits ({@code gap}, default {@value
   *     #DEFAULT_GAP})
   * @param size in-plane size {height, width} ({@code size=HxW}), or null: automatic (see {@code full})
   * @param full {@code size=full}: keep the whole slice instead of cropping to the head's bounding box
   * @param norm intensity normalisation over the volume (default zscore)
   * @param volume the frame of a 4-D image ({@code volume}, default -1: the volume must be 3-D)
   * @param affineTol largest allowed difference between the image's and the labels' voxel-to-world
   *     matrices, in mm ({@code affine_tol}, default {@value #DEFAULT_AFFINE_TOL})
   */
  record Nifti(Path image, Path labels, int[] labelValues, Axis axis, double emptyRatio, int slab, int gap, int[] size,
      boolean full, Intensity.Mode norm, int volume, double affineTol) implements DataSpec {
    static final List<String> KEYS =
        List.of("image", "labels", "label", "axis", "empty_ratio", "slab", "gap", "size", "norm", "volume", "affine_tol");
    /** Default empty slices kept per foreground slice. */
    public static final double DEFAULT_EMPTY_RATIO = 0.25;
    /** Default gap between slices of different parts. */
    public static final int DEFAULT_GAP = 1;
    /** Default tolerance on the voxel-to-world matrices, mm. */
    public static final double DEFAULT_AFFINE_TOL = 1e-3;

    static Nifti parse(String context, String opts) {
      Options o = Options.parse(context, opts, KEYS);
      Path image = Path.of(o.required("image"));
      Path labels = Path.of(o.required("labels"));
      int[] values = null;
      if (o.has("label")) {
        String v = o.string("label", "");
        if (!v.equalsIgnoreCase("any")) {
          String[] parts = v.split("\\+", -1);
          values = new int[parts.length];
          for (int i = 0; i < parts.length; i++) {
            try {
              values[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
              throw o.error("option 'label' expects integer label values joined by '+' (e.g. 37+38) or 'any', got '" + v + "'");
            }
          }
          values = Arrays.stream(values).distinct().sorted().toArray();
        }
      }
      Axis axis = Axis.parse(o, "axial");
      double emptyRatio;
      if (o.string("empty_ratio", "").equalsIgnoreCase("all")) {
        emptyRatio = Double.POSITIVE_INFINITY;
      } else {
        emptyRatio = o.number("empty_ratio", DEFAULT_EMPTY_RATIO, 0, 1e9, false);
      }
      int slab = o.integer("slab", 0, 0, 100000);
      int gap = o.integer("gap", DEFAULT_GAP, 0, 1000);
      int[] size = null;
      boolean full = false;
      String s = o.string("size", "auto");
      if (s.equalsIgnoreCase("full")) full = true;
      else if (!s.equalsIgnoreCase("auto")) size = o.size("size", 8, 16384);
      Intensity.Mode norm = o.norm("norm");
      int volume = o.integer("volume", -1, 0, Integer.MAX_VALUE);
      double tol = o.number("affine_tol", DEFAULT_AFFINE_TOL, 0, 1e6, false);
      return new Nifti(image, labels, values, axis, emptyRatio, slab, gap, size, full, norm, volume, tol);
    }

    @Override
    public Nifti withNorm(Intensity.Mode norm) {
      return new Nifti(image, labels, labelValues, axis, emptyRatio, slab, gap, size, full, norm, volume, affineTol);
    }

    @Override
    public String canonical() {
      StringJoiner j = new StringJoiner(",", "nifti:", "");
      j.add("image=" + image).add("labels=" + labels);
      if (labelValues == null) j.add("label=any");
      else {
        StringJoiner l = new StringJoiner("+");
        for (int v : labelValues) l.add(Integer.toString(v));
        j.add("label=" + l);
      }
      j.add("axis=" + axis.label());
      j.add("empty_ratio=" + (Double.isInfinite(emptyRatio) ? "all" : Options.fmt(emptyRatio)));
      j.add("slab=" + slab).add("gap=" + gap);
      j.add("size=" + (full ? "full" : size == null ? "auto" : size[0] + "x" + size[1]));
      j.add("norm=" + norm.label());
      if (volume >= 0) j.add("volume=" + volume);
      j.add("affine_tol=" + Options.fmt(affineTol));
      return j.toString();
    }
  }
}
