/**
 * {@code segloss compare}: {@link dev.segloss.train.compare.CompareJob} and its statistics — the paired
 * {@link dev.segloss.train.compare.Wilcoxon} signed-rank test with Holm's adjustment, the pooled
 * precision–recall curve ({@link dev.segloss.train.compare.PrCurve}) and the best-threshold Dice
 * ({@link dev.segloss.train.compare.BestThreshold}).
 */
package dev.segloss.train.compare;
