package dev.segloss.spark;

import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.RemoteFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * {@link RemoteFiles} on Hadoop's {@link FileSystem} API with the Spark application's Hadoop configuration
 * ({@code spark.hadoop.*}, {@code core-site.xml}, {@code hdfs-site.xml}), serialized with the task so that
 * executors reach the same file systems. A checksummed file system ({@code file://} is one) is used through
 * its raw file system, so no {@code .crc} files appear beside the outputs.
 */
final class HadoopFiles implements RemoteFiles {
  private static final long serialVersionUID = 1L;
  private transient Configuration conf;

  HadoopFiles(Configuration conf) {
    this.conf = new Configuration(conf);
  }

  private FileSystem fs(Path p) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  @Override
  public Kind kind(String uri) throws IOException {
    Path p = new Path(uri);
    try {
      FileStatus s = fs(p).getFileStatus(p);
      return s.isFile() ? Kind.FILE : s.isDirectory() ? Kind.DIRECTORY : Kind.OTHER;
    } catch (FileNotFoundException e) {
      return Kind.MISSING;
    }
  }

  @Override
  public List<Entry> list(String dirUri) throws IOException {
    Path p = new Path(dirUri);
    List<Entry> out = new ArrayList<>();
    for (FileStatus s : fs(p).listStatus(p)) {
      String name = s.getPath().getName();
      out.add(new Entry(name, Locations.child(dirUri, name), s.isFile() ? Kind.FILE : s.isDirectory() ? Kind.DIRECTORY : Kind.OTHER));
    }
    return out;
  }

  @Override
  public void download(String uri, java.nio.file.Path target) throws IOException {
    Path p = new Path(uri);
    try (InputStream in = fs(p).open(p)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public boolean upload(java.nio.file.Path source, String uri) throws IOException {
    Path target = new Path(uri);
    FileSystem fs = fs(target);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        Files.copy(source, (OutputStream) out);
        out.hsync();
      }
      boolean replaced = fs.exists(target);
      if (fs instanceof RawLocalFileSystem) {
        // rename(2): replaces the target in one step
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
      } else {
        // FileSystem.rename refuses an existing target; FileContext's OVERWRITE replaces it atomically on HDFS
        FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
      }
      return replaced;
    } finally {
      if (fs.exists(tmp)) fs.delete(tmp, false);
    }
  }

  @Override
  public boolean mkdirs(String uri) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = fs(p);
    if (fs.exists(p)) return false;
    if (!fs.mkdirs(p)) throw new IOException("cannot create the folder " + uri);
    return true;
  }

  @Override
  public boolean createExclusive(String uri, byte[] bytes) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = fs(p);
    if (fs.exists(p)) return false;
    try (FSDataOutputStream out = fs.create(p, false)) {
      out.write(bytes);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
    return true;
  }

  @Override
  public boolean delete(String uri) throws IOException {
    Path p = new Path(uri);
    return fs(p).delete(p, false);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
