package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
  @TempDir Path dir;

  /** Writes an image with the JDK directly (independent of Images.writePng). */
  private Path write(String name, String format, BufferedImage img) throws IOException {
    Path f = dir.resolve(name);
    assertTrue(ImageIO.write(img, format, f.toFile()), "JDK writer for " + format);
    return f;
  }

  private static BufferedImage image(int type, int w, int h, int[] samples) {
    BufferedImage img = new BufferedImage(w, h, type);
    img.getRaster().setPixels(0, 0, w, h, samples);
    return img;
  }

  private static BufferedImage rgb16(int w, int h, int[] samples) {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(w, h);
    r.setPixels(0, 0, w, h, samples);
    return new BufferedImage(cm, r, false, null);
  }

  private static float[] floats(int[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = v[i];
    return f;
  }

  @Test
  void gray8Png() throws IOException {
    int[] px = {0, 1, 127, 128, 254, 255};
    ImageData d = Images.read(write("g8.png", "png", image(BufferedImage.TYPE_BYTE_GRAY, 3, 2, px)));
    assertEquals(2, d.height());
    assertEquals(3, d.width());
    assertEquals(1, d.channels());
    assertEquals(8, d.bitDepth());
    assertEquals(255.0, d.maxValue());
    assertArrayEquals(floats(px), d.gray());
    assertArrayEquals(new float[] {0f, 1f / 255, 127f / 255, 128f / 255, 254f / 255, 1f}, d.grayScaled(), 1e-7f);
    assertEquals(1f, d.grayScaled()[5]);
    assertEquals(127f, d.raw(1, 0, 0) - 1);
  }

  @Test
  void gray16PngAndTiff() throws IOException {
    int[] px = {0, 1, 256, 32768, 65534, 65535};
    for (String fmt : new String[] {"png", "tiff"}) {
      ImageData d = Images.read(write("g16." + fmt, fmt, image(BufferedImage.TYPE_USHORT_GRAY, 2, 3, px)));
      assertEquals(16, d.bitDepth(), fmt);
      assertEquals(1, d.channels());
      assertEquals(3, d.height());
      assertArrayEquals(floats(px), d.gray(), fmt);
      assertEquals(65535.0, d.maxValue());
      assertEquals(32768f / 65535f, d.grayScaled()[3], 1e-7f);
      assertEquals(1f, d.grayScaled()[5]);
    }
  }

  @Test
  void rgb8PngAndBmp() throws IOException {
    int[] px = {10, 10, 10, 255, 0, 0, 0, 255, 0, 0, 0, 255};
    for (String fmt : new String[] {"png", "bmp"}) {
      ImageData d = Images.read(write("c8." + fmt, fmt, image(BufferedImage.TYPE_3BYTE_BGR, 2, 2, px)));
      assertEquals(3, d.channels(), fmt);
      assertEquals(8, d.bitDepth());
      assertArrayEquals(floats(px), d.raw(), fmt);
      assertArrayEquals(new float[] {10, 255, 0, 0}, d.channel(0));
      // equal channels give the value itself; colours give BT.601 luma
      assertArrayEquals(new float[] {10f, 0.299f * 255, 0.587f * 255, 0.114f * 255}, d.gray(), 1e-4f);
      assertArrayEquals(new float[] {1, 1, 1, 1}, d.mask(0, Double.NaN));
      assertArrayEquals(new float[] {0, 1, 1, 0}, d.mask(50, Double.NaN), "gray 10 and lumas 76.2, 149.7, 29.1 against 50");
    }
  }

  @Test
  void rgb16Png() throws IOException {
    int[] px = {0, 1000, 65535, 300, 300, 300};
    ImageData d = Images.read(write("c16.png", "png", rgb16(2, 1, px)));
    assertEquals(3, d.channels());
    assertEquals(16, d.bitDepth());
    assertArrayEquals(floats(px), d.raw());
    assertEquals(300f, d.gray()[1]);
    assertEquals(300f / 65535, d.grayScaled()[1], 1e-9f);
  }

  @Test
  void jpegGray() throws IOException {
    int[] px = new int[64];
    java.util.Arrays.fill(px, 200);
    ImageData d = Images.read(write("g.jpg", "jpeg", image(BufferedImage.TYPE_BYTE_GRAY, 8, 8, px)));
    assertEquals(1, d.channels());
    assertEquals(8, d.bitDepth());
    for (float v : d.gray()) assertEquals(200f, v, 1f, "a flat JPEG decodes to its value");
  }

  @Test
  void paletteImagesGiveIndices() throws IOException {
    byte[] r = {0, (byte) 128, (byte) 224};
    byte[] g = {0, 0, (byte) 224};
    byte[] b = {0, 0, (byte) 192};
    IndexColorModel cm = new IndexColorModel(2, 3, r, g, b);
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_BINARY, cm);
    img.getRaster().setPixels(0, 0, 2, 2, new int[] {0, 1, 2, 1});
    ImageData d = Images.read(write("p.png", "png", img));
    assertTrue(d.indexed());
    assertEquals(1, d.channels());
    assertArrayEquals(new float[] {0, 1, 2, 1}, d.gray());
    assertArrayEquals(new float[] {0, 1, 2, 1}, d.mask(0, 2), "index 2 is the ignore value here and stays 2");
    assertArrayEquals(new float[] {0, 1, 1, 1}, d.mask(0, Double.NaN));
  }

  @Test
  void maskThresholdAndIgnoreOnRawValues() {
    ImageData d = ImageData.of(new float[] {0, 1, 100, 200, 255}, 1, 5, 1, 8);
    assertArrayEquals(new float[] {0, 1, 1, 1, 1}, d.mask(0, Double.NaN));
    assertArrayEquals(new float[] {0, 0, 0, 1, 255}, d.mask(127, 255));
    assertArrayEquals(new int[] {1, 1, 5}, d.toTensor(true).shape());
  }

  @Test
  void writePngRoundTrips8And16Bit() {
    float[] v = {0f, 0.25f, 0.5f, 1f, 0.999f, 0.001f};
    Path f8 = dir.resolve("w8.png");
    assertFalse(Images.writeGrayPng(f8, v, 2, 3));
    ImageData d8 = Images.read(f8);
    assertEquals(8, d8.bitDepth());
    assertArrayEquals(new float[] {0, 64, 128, 255, 255, 0}, d8.gray());
    Path f16 = dir.resolve("w16.png");
    Images.writePng(f16, v, 3, 2, 1, 16);
    ImageData d16 = Images.read(f16);
    assertEquals(16, d16.bitDepth());
    assertEquals(3, d16.height());
    assertArrayEquals(v, d16.grayScaled(), 0.5f / 65535);
    float[] rgb = {1, 0, 0, 0, 0.5f, 1};
    Path fc = dir.resolve("rgb.png");
    Images.writePng(fc, rgb, 1, 2, 3, 8);
    assertArrayEquals(new float[] {255, 0, 0, 0, 128, 255}, Images.read(fc).raw());
    assertTrue(Images.writeGrayPng(f8, v, 3, 2), "replacing is reported");
  }

  @Test
  void writePngRefusesValuesOutsideUnitRange() {
    Path f = dir.resolve("bad.png");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.writeGrayPng(f, new float[] {0, 1.5f}, 1, 2));
    assertTrue(e.getMessage().contains("1.5") && e.getMessage().startsWith(f.toString()), e.getMessage());
    assertThrows(InvalidInputException.class, () -> Images.writeGrayPng(f, new float[] {Float.NaN, 0}, 1, 2));
    assertThrows(InvalidInputException.class, () -> Images.writeGrayPng(f, new float[] {0, 0, 0}, 1, 2));
    assertFalse(Files.exists(f));
  }

  @Test
  void readErrorsNameTheFile() throws IOException {
    Path missing = dir.resolve("missing.png");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.read(missing));
    assertEquals(missing + ": no such file", e.getMessage());
    Path text = dir.resolve("text.png");
    Files.writeString(text, "not an image");
    e = assertThrows(InvalidInputException.class, () -> Images.read(text));
    assertTrue(e.getMessage().startsWith(text + ": not an image"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void extensions() {
    assertTrue(Images.isImageFile(Path.of("a/B.PNG")));
    assertTrue(Images.isImageFile(Path.of("x.tiff")));
    assertFalse(Images.isImageFile(Path.of("x.npy")));
    assertFalse(Images.isImageFile(Path.of(".png")));
    assertEquals("gz", Images.extension(Path.of("a.nii.gz")));
  }
}
