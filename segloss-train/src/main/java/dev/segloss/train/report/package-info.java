/**
 * Output of training and {@code compare}: JFreeChart curves ({@link dev.segloss.train.report.Charts}),
 * prediction overlays ({@link dev.segloss.train.report.Overlays}) and the self-contained HTML, JSON and
 * CSV report ({@link dev.segloss.train.report.CompareReport}).
 */
package dev.segloss.train.report;
