/**
 * The data layer of training and {@code compare}: data sets, splits, augmentation and batches, free of
 * engine types (plain {@code float[]}), so any engine (DJL, TensorFlow Java) can use it and it is testable
 * without one.
 *
 * <h2>Packages</h2>
 *
 * Each depends only on those above it (no cycle):
 *
 * <ul>
 *   <li>{@code dev.segloss.data.transform}: resizing/cropping ({@code Geometry}), intensity normalisation,
 *       augmentation;
 *   <li>{@code dev.segloss.data} (this one): the {@code --data} value ({@link DataSpec}), {@link
 *       LoadOptions}, {@link SegDataset}, {@link Sample}, {@link Split}s, seeded streams ({@link Rng}), the
 *       memory check, and {@link Datasets#load}, which finds the loader of a spec among the {@link
 *       DataSource} services;
 *   <li>{@code dev.segloss.data.batch}: the background batch loader;
 *   <li>{@code dev.segloss.data.synthetic}, {@code .folder}, {@code .nifti}: the three sources (the
 *       generator; image folders; the NIfTI reader, writer, slice geometry and volume loader).
 * </ul>
 *
 * <h2>Entry point</h2>
 *
 * <pre>{@code
 * SegDataset data = Datasets.load(dataSpec,            // the --data value, see DataSpec
 *     LoadOptions.builder().seed(seed)                 // split seed (and empty-slice sampling)
 *         .maskThreshold(t).skipBad(skip).build());    // --mask-threshold, --skip-bad
 * data.warnings().forEach(w -> System.err.println("warning: " + w));
 * data.skipped()  ... // files skipped with --skip-bad, "file: reason"
 * data.spec()     ... // canonical --data value with every default: save it in config.json
 *
 * try (BatchLoader train = new BatchLoader(data.split(Split.TRAIN), BatchLoader.Config.builder()
 *         .batchSize(8).seed(seed).augmentation(Augmentation.defaults()).dropLast(true).build())) {
 *   for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (BatchLoader.Epoch it = train.epoch(epoch)) {
 *       while (it.hasNext()) {
 *         Batch b = it.next();          // b.images(), b.masks(): float[B*1*H*W], b.shape() = {B,1,H,W}
 *       }
 *       double stall = it.waitNanos() / 1e9;   // time the trainer waited for data
 *     }
 *   }
 * }
 * List<Sample> val = data.val();   // Sample: name(), image(), mask() (row-major H*W), height(), width()
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>All samples of a data set have one size ({@link SegDataset#height()} x {@link
 *       SegDataset#width()}), a multiple of {@link LoadOptions#sizeMultiple()} (16 by default).
 *   <li>Images are normalised ({@link dev.segloss.data.transform.Intensity}: percentile clip then z-score by default); masks are 0/1.
 *   <li>Every image is in exactly one part; volume slices are split in contiguous slabs with a gap.
 *   <li>Same spec, options and seed: same data, split, batch order and augmentation, whatever the thread
 *       count or timing ({@link Rng}).
 *   <li>Bad input: {@link dev.segloss.core.InvalidInputException} with a one-line message naming the
 *       option or file; a data set too large for the heap is refused before loading ({@link MemoryCheck}).
 * </ul>
 */
package dev.segloss.data;
