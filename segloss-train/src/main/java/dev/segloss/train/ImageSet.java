package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Images with their masks, all of one size, for validation, testing and prediction: image k is {@code
 * images.get(k)} ({@code C·H·W} values, C order), its mask {@code masks.get(k)} ({@code H·W} values in
 * {0, 1}, or null when unknown).
 */
public record ImageSet(List<String> names, List<float[]> images, List<float[]> masks, int channels, int height, int width) {
  public ImageSet {
    if (names.size() != images.size() || (masks != null && masks.size() != images.size())) {
      throw new InvalidInputException("image set: " + names.size() + " names, " + images.size() + " images, "
          + (masks == null ? 0 : masks.size()) + " masks");
    }
    int px = height * width;
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).length != channels * px) {
        throw new InvalidInputException(names.get(i) + ": expected " + channels + "×" + height + "×" + width + " values, got " + images.get(i).length);
      }
      if (masks != null && masks.get(i) != null && masks.get(i).length != px) {
        throw new InvalidInputException(names.get(i) + ": mask has " + masks.get(i).length + " values, expected " + px);
      }
    }
  }

  /** The samples' images and masks (shared, not copied). */
  public static ImageSet of(List<Sample> samples) {
    if (samples.isEmpty()) return new ImageSet(List.of(), List.of(), List.of(), 1, 0, 0);
    List<String> names = new ArrayList<>();
    List<float[]> images = new ArrayList<>(), masks = new ArrayList<>();
    for (Sample s : samples) {
      names.add(s.name());
      images.add(s.image());
      masks.add(s.mask());
    }
    return new ImageSet(names, images, masks, 1, samples.get(0).height(), samples.get(0).width());
  }

  public int size() {
    return images.size();
  }

  public boolean hasMasks() {
    return masks != null;
  }
}
