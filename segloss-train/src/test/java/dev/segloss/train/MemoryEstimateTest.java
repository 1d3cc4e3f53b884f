package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.model.UNetConfig;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {
  @Test
  void estimateScalesWithBatchAndPixels() {
    UNetConfig net = UNetConfig.defaults(1);
    long a = net.activationBytes(8, 64, 64);
    assertEquals(2 * a, net.activationBytes(16, 64, 64));
    assertEquals(4 * a, net.activationBytes(8, 128, 128));
    // at least the raw outputs of the 12 full-resolution 3×3 convolutions' tensors, float32
    assertTrue(a > 8L * 64 * 64 * 16 * 12 * 4);
    assertTrue(MemoryEstimate.trainingBytes(net, 8, 64, 64) > a);
  }

  @Test
  void inferenceNeedsFarLessThanTrainingAndIsRefusedNamingTheFile() {
    UNetConfig net = UNetConfig.defaults(1);
    long one = MemoryEstimate.inferenceBytes(net, 512, 512);
    // skip tensors (16 + 32/4 + 64/16 + 128/64 channels) + 5 x 16 working channels at full resolution, float32
    assertEquals((long) ((5 * 16 + 16 + 8 + 4 + 2) * 512.0 * 512 * 4) + net.parameterCount() * 4, one);
    assertTrue(one < MemoryEstimate.trainingBytes(net, 1, 512, 512) / 2);
    assertEquals(4 * (one - net.parameterCount() * 4), MemoryEstimate.inferenceBytes(net, 1024, 1024) - net.parameterCount() * 4);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> MemoryEstimate.checkInference(net, "scan.tif", 65536, 65536, 16L << 30));
    assertTrue(e.getMessage().startsWith("scan.tif: an image of 65536x65536 needs about 1.7 TiB"), e.getMessage());
    MemoryEstimate.checkInference(net, "scan.tif", 4096, 4096, 16L << 30); // fits
  }

  @Test
  void availableMemoryCountsThePageCacheButRespectsAContainerLimit() {
    String meminfo = "MemTotal:       24000000 kB\nMemFree:          800000 kB\nMemAvailable:   20000000 kB\nBuffers:  1 kB\n";
    long[] m = MemoryEstimate.parseMeminfo(meminfo);
    assertEquals(24000000L * 1024, m[0]);
    assertEquals(20000000L * 1024, m[1]);
    // a machine whose page cache filled the RAM: MemFree 0.8 GB, but 20 GB can be had
    assertEquals(m[1], MemoryEstimate.available(800000L * 1024, m[0], m[0], m[1]));
    // a container limited to 4 GB with 3 GB free: the limit wins
    assertEquals(3L << 30, MemoryEstimate.available(3L << 30, 4L << 30, m[0], m[1]));
    // no /proc/meminfo: the JVM's figure
    assertEquals(5L << 30, MemoryEstimate.available(5L << 30, 8L << 30, -1, -1));
    assertEquals(-1, MemoryEstimate.parseMeminfo("nothing here")[1]);
    assertTrue(MemoryEstimate.freePhysicalMemory() > 0); // known on the machines the tests run on (Linux)
  }

  @Test
  void refusedUpFrontWithTheEstimate() {
    UNetConfig net = new UNetConfig(1, 4, 64);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> MemoryEstimate.check(net, 256, 1024, 1024, 16L << 30));
    assertTrue(e.getMessage().startsWith("--batch 256 with 1024x1024 images and a U-Net of depth 4, width 64 needs about "), e.getMessage());
    assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("lower --batch"), e.getMessage());
    MemoryEstimate.check(UNetConfig.defaults(1), 8, 64, 64, 16L << 30); // fits
    MemoryEstimate.check(net, 256, 1024, 1024, -1); // unknown free memory: no check
    // --batch larger than the training split: the message names what was asked and what a step holds
    InvalidInputException small = assertThrows(InvalidInputException.class, () -> MemoryEstimate.check(net, 4096, 256, 1024, 1024, 16L << 30));
    assertTrue(small.getMessage().startsWith("--batch 4096 (256 images per step: all the training split holds) with 1024x1024 images"),
        small.getMessage());
  }
}
