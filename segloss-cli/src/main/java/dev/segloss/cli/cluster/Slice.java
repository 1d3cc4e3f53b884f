package dev.segloss.cli.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive items {@code first .. first + items.size() - 1} of a job's item list.
 *
 * @param index the slice's position (0, 1, ...)
 * @param first the index of its first item in the whole list
 */
public record Slice<T>(int index, int first, List<T> items) implements Serializable {
  public Slice {
    items = new ArrayList<>(items); // a serializable copy (subList views are not)
  }

  /**
   * Cuts {@code items} into {@code count} (at most {@code items.size()}, at least 1) consecutive slices whose
   * sizes differ by at most one.
   */
  public static <T> List<Slice<T>> cut(List<T> items, int count) {
    int n = items.size();
    int k = Math.max(1, Math.min(count, n));
    List<Slice<T>> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int from = (int) ((long) n * i / k);
      int to = (int) ((long) n * (i + 1) / k);
      out.add(new Slice<>(i, from, items.subList(from, to)));
    }
    return out;
  }
}
