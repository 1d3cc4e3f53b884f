package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import dev.segloss.core.spec.LossSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The losses and evaluators inside a real DJL training loop (Trainer, EasyTrain, the default evaluator
 * listener): the reported epoch loss is the mean of the batch losses the core computes on the same
 * predictions, each term of a weighted sum is reported too, the evaluator matches the core's macro
 * Dice, and the model learns.
 */
class DjlTrainingTest {
  static final String SPEC = "0.3*bce(w_neg=0.5) + 0.7*dice";

  /** Records the core's loss, terms and metrics on exactly the predictions the trainer made. */
  static final class CoreShadow extends TrainingListenerAdapter {
    final SegLoss loss = LossSpec.parse(SPEC);
    final List<double[]> values = new ArrayList<>(); // [total, term 1, term 2]
    final List<ImageMetrics> images = new ArrayList<>();
    final SegmentationMetrics metrics = SegmentationMetrics.builder().fromLogits(true).distances(false).build();

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData data) {
      NDList labels = data.getLabels().values().iterator().next();
      NDList preds = data.getPredictions().values().iterator().next();
      int[] shape = toInt(preds.head().getShape());
      Tensor y = Tensor.of(labels.head().toFloatArray(), shape);
      Tensor x = Tensor.of(preds.head().toFloatArray(), shape);
      LossInput in = LossInput.builder(y, x).fromLogits(true).build();
      List<WeightedSumLoss.Term> terms = ((WeightedSumLoss) loss).terms();
      values.add(new double[] {loss.value(in).value(), terms.get(0).loss().value(in).value(), terms.get(1).loss().value(in).value()});
      images.addAll(metrics.batch(y, x));
    }
  }

  static int[] toInt(Shape s) {
    int[] out = new int[s.dimension()];
    for (int i = 0; i < out.length; i++) out[i] = (int) s.get(i);
    return out;
  }

  @Test
  void lossTermsAndMetricsShowInTheTrainingListenersAndTheModelLearns() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 4;
    Shape shape = new Shape(n, 1, 8, 8);
    try (Model model = Model.newInstance("segloss-djl-test", "PyTorch")) {
      model.setBlock(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(1).build());
      Loss loss = DjlLosses.fromSpec(SPEC, true);
      List<Evaluator> terms = DjlLosses.termEvaluators(loss);
      DjlSegEvaluator dice = DjlSegEvaluator.dice(true);
      EvaluatorTrainingListener evaluations = new EvaluatorTrainingListener(1);
      CoreShadow shadow = new CoreShadow();
      DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build())
          .addEvaluator(dice)
          .addEvaluators(terms)
          .addTrainingListeners(evaluations, shadow);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.setMetrics(new Metrics());
        trainer.initialize(shape);
        NDManager m = trainer.getManager();
        List<float[][]> data = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
          float[] x = new float[(int) shape.size()];
          float[] y = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = x[i] > 0.8 ? 1f : 0f; // learnable from the input by a 1-pixel filter
          }
          data.add(new float[][] {x, y});
        }
        float firstEpoch = Float.NaN;
        for (int epoch = 0; epoch < 8; epoch++) {
          shadow.values.clear();
          shadow.images.clear();
          for (float[][] d : data) {
            try (NDManager batchManager = m.newSubManager()) {
              NDArray x = batchManager.create(d[0], shape);
              NDArray y = batchManager.create(d[1], shape);
              Batch batch = new Batch(batchManager, new NDList(x), new NDList(y), n, Batchifier.STACK, Batchifier.STACK, 0, data.size());
              EasyTrain.trainBatch(trainer, batch);
              trainer.step();
            }
          }
          trainer.notifyListeners(listener -> listener.onEpoch(trainer));
          Map<String, Float> latest = evaluations.getLatestEvaluations();
          // the epoch loss is the mean of the batch losses (DJL's convention), as the core computes them
          double expected = shadow.values.stream().mapToDouble(v -> v[0]).average().orElseThrow();
          assertEquals(expected, latest.get("train_loss"), 2e-5 * expected, "epoch " + epoch);
          for (int t = 0; t < 2; t++) {
            final int term = t;
            double expectedTerm = shadow.values.stream().mapToDouble(v -> v[term + 1]).average().orElseThrow();
            Float reported = latest.get("train_" + terms.get(t).getName());
            assertNotNull(reported, "term " + terms.get(t).getName() + " in " + latest.keySet());
            assertEquals(expectedTerm, reported, 2e-5 * expectedTerm, "term " + t + " epoch " + epoch);
          }
          double macroDice = SegmentationMetrics.builder().fromLogits(true).distances(false).build()
              .summarize(shadow.images).macro(Metric.DICE).mean();
          assertEquals(macroDice, latest.get("train_dice"), 1e-6, "dice epoch " + epoch + " " + latest);
          // the progress metrics the progress bar prints exist under each evaluator's name
          for (Evaluator e : trainer.getEvaluators()) {
            String name = EvaluatorTrainingListener.metricName(e, EvaluatorTrainingListener.TRAIN_PROGRESS);
            assertTrue(trainer.getMetrics().hasMetric(name), name);
          }
          if (epoch == 0) firstEpoch = latest.get("train_loss");
          if (epoch == 7) assertTrue(latest.get("train_loss") < 0.7 * firstEpoch, "learns: " + firstEpoch + " -> " + latest.get("train_loss"));
        }
      }
    }
  }
}
