package dev.segloss.cli.cluster;

import java.io.Serializable;

/** Two files of one stem (a mask and its prediction) for a task. */
public record PairRef(String stem, FileRef first, FileRef second) implements Serializable {}
