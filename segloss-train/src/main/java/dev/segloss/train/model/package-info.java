/**
 * The segmentation network: a 2-D {@link dev.segloss.train.model.UNet} (batch norm, pixel-shuffle
 * upsampling, logits out) and its {@link dev.segloss.train.model.PixelShuffle}, as DJL blocks.
 */
package dev.segloss.train.model;
