package dev.segloss.data;

import java.util.List;

/**
 * Every image a data set kept, with what cross-validation must respect ({@link Folds}): which images
 * belong together (a group is never split across folds) and, for slices of a volume, where each lies, so
 * that neighbouring slices of different parts can be kept apart.
 *
 * @param images the images, in the loader's order (for a volume: by slice)
 * @param group per image, its group: one image alone for 2-D images, a slab of neighbouring slices for a
 *     volume ({@link dev.segloss.data.nifti.NiftiLoader})
 * @param volume per image, the index of its volume in {@code volumes}, or -1 for a 2-D image
 * @param gap slices of different parts closer than {@code gap + 1} positions are not both used
 * @param unit what the groups are, for messages: {@code "single images"}, {@code "slabs of 4 slices"}
 * @param volumes the volumes the slices come from
 * @param predefined whether the data came already split into parts (a folder's {@code train/}, {@code val/},
 *     {@code test/}): cross-validation would deal those images anew, so it is not a default then
 */
public record Pool(List<Sample> images, int[] group, int[] volume, int gap, String unit, List<Volume> volumes, boolean predefined) {
  public Pool {
    images = List.copyOf(images);
    group = group.clone();
    volume = volume.clone();
    volumes = List.copyOf(volumes);
    if (group.length != images.size() || volume.length != images.size()) {
      throw new IllegalArgumentException(images.size() + " images, " + group.length + " groups, " + volume.length + " volume indices");
    }
  }

  /**
   * A volume whose slices are images of the data set.
   *
   * @param name its name (the file stem)
   * @param spacing the voxel spacing in millimetres {along the slicing axis, along rows, along columns}
   */
  public record Volume(String name, double[] spacing) {
    public Volume {
      spacing = spacing.clone();
    }
  }

  /** 2-D images: each its own group, no volumes, not predefined parts. */
  public static Pool ofImages(List<Sample> images) {
    int[] g = new int[images.size()], v = new int[images.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = i;
      v[i] = -1;
    }
    return new Pool(images, g, v, 0, "single images", List.of(), false);
  }

  /** The same images, marked as coming in predefined parts. */
  public Pool asPredefined() {
    return new Pool(images, group, volume, gap, unit, volumes, true);
  }

  /** Number of groups (the largest group index + 1). */
  public int groups() {
    int m = -1;
    for (int x : group) m = Math.max(m, x);
    return m + 1;
  }
}
