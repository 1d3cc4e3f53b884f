package dev.segloss.data;

/** The three parts of a dataset. */
public enum Split {
  TRAIN("train"),
  VAL("val"),
  TEST("test");

  private final String label;

  Split(String label) {
    this.label = label;
  }

  /** Lower-case name, as used for sub-folders ({@code train/}, {@code val/}, {@code test/}). */
  public String label() {
    return label;
  }
}
