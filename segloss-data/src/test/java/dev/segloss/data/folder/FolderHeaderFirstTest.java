package dev.segloss.data.folder;

import static dev.segloss.data.Messages.assertMessage;

import dev.segloss.core.io.Images;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 6 for the folder loader: an image and a mask of different sizes are reported from their
 * headers, before either is decoded. The mask here is a 20000x20000 16-bit PNG header without pixel data:
 * decoding it would need gigabytes (and fail on the missing data), so the size message proves the order.
 */
class FolderHeaderFirstTest {
  @TempDir Path dir;

  static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    b.putInt(data.length).put(t).put(data);
    CRC32 c = new CRC32();
    c.update(t);
    c.update(data);
    return b.putInt((int) c.getValue()).array();
  }

  @Test
  void sizeMismatchIsReportedBeforeDecoding() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    for (String n : new String[] {"a", "b", "c", "d"}) {
      Images.writeGrayPng(dir.resolve("images").resolve(n + ".png"), new float[256], 16, 16);
      Images.writeGrayPng(dir.resolve("masks").resolve(n + ".png"), new float[256], 16, 16);
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    o.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(20000).putInt(20000).put((byte) 16).put(new byte[4]).array()));
    o.writeBytes(chunk("IEND", new byte[0]));
    Files.write(dir.resolve("masks").resolve("b.png"), o.toByteArray());
    assertMessage(() -> Datasets.load(dir.toString(), LoadOptions.builder().sizeMultiple(8).build()),
        dir.resolve("images").resolve("b.png") + ": the image is 16x16 but its mask " + dir.resolve("masks").resolve("b.png") + " is 20000x20000");
  }
}
