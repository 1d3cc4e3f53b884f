package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code segloss predict --input nifti:image=PATH[,axis=axial|coronal|sagittal|i|j|k][,volume=N]}
 * value: one NIfTI-1 volume to segment slice by slice.
 *
 * @param image the volume (.nii, .nii.gz, or .hdr/.img)
 * @param axis the slicing axis ({@link SliceGeometry}), or null: the axis the model was trained on when its
 *     data were a NIfTI volume, else axial
 * @param volume the frame of a 4-D image, or -1 (the image must then be 3-D)
 */
public record NiftiInput(Path image, DataSpec.Axis axis, int volume) {
  static final List<String> KEYS = List.of("image", "axis", "volume");

  /** Whether {@code text} is a {@code nifti:} input (else predict reads a folder of images). */
  public static boolean matches(String text) {
    return text != null && text.trim().toLowerCase(Locale.ROOT).startsWith("nifti:");
  }

  /** Parses a {@code nifti:...} value of {@code option} (e.g. {@code --input}); one-line errors naming it. */
  public static NiftiInput parse(String option, String text) {
    if (!matches(text)) throw new InvalidInputException(option + " " + text + ": expected nifti:image=PATH[,axis=...][,volume=N]");
    String t = text.trim();
    Options o = Options.parse(option, t, t.substring(6), KEYS);
    Path image = Path.of(o.required("image"));
    DataSpec.Axis axis = o.has("axis") ? DataSpec.Axis.parse(o, "axial") : null;
    int volume = o.integer("volume", -1, 0, Integer.MAX_VALUE);
    return new NiftiInput(image, axis, volume);
  }
}
