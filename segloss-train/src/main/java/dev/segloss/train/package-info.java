/**
 * U-Net training, prediction and the {@code compare} job on DJL's PyTorch engine.
 *
 * <ul>
 *   <li>{@link dev.segloss.train.TrainJob}: {@code segloss train} — data, {@code auto} class weights
 *       ({@link dev.segloss.train.LossSpecs}), the DJL loss, then {@link dev.segloss.train.TrainingRun}:
 *       the training loop with per-epoch atomic checkpoints, exact {@code --resume}, early stopping on
 *       validation Dice, the best weights kept, a stop on a non-finite loss.
 *   <li>{@link dev.segloss.train.Predictor}: {@code segloss predict} — PNG masks and probability maps.
 *   <li>{@link dev.segloss.train.compare.CompareJob}: {@code segloss compare} — one U-Net per loss and
 *       seed, evaluated on held-out test images, ranked, tested for "within noise", reported.
 *   <li>{@link dev.segloss.train.model.UNet}: the network; {@link dev.segloss.train.AdamOptimizer}: Adam
 *       with saveable state; {@link dev.segloss.train.LrSchedule}: cosine or step decay as a function of
 *       the step.
 * </ul>
 *
 * <h2>Library use</h2>
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.builder().data("synthetic").loss("combined(dice_weight=0.5, w_pos=auto)")
 *     .epochs(30).seed(1).build();
 * RunResult r = TrainJob.train(cfg, Path.of("runs/combined"), false, new PrintWriter(System.err, true), false);
 * r.model();   // runs/combined/model.params, the best epoch's weights
 *
 * CompareResult c = CompareJob.run(CompareConfig.builder().out(Path.of("reports/mine")).build(),
 *     new PrintWriter(System.out, true), new PrintWriter(System.err, true));
 * c.recommendation();
 * }</pre>
 *
 * Run folders and report files are described in docs/TRAINING.md.
 */
package dev.segloss.train;
